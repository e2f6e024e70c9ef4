using NeuralStyle.Weights.Onnx.Operators;
using TorchSharp;
using static TorchSharp.torch;
using NeuralStyle.Runtime;

namespace NeuralStyle.Weights.Onnx;

/// <summary>An ONNX model compiled into torch operations that can be run up to any intermediate value.</summary>
/// <remarks>
/// <para>Initializers become frozen tensors (no gradient); every node is evaluated with differentiable torch ops,
/// so a loss on any tapped value back-propagates into the inputs (the image, in style transfer).</para>
/// <para>Every node is checked when the graph is built: an unsupported operator, attribute or attribute value
/// throws <see cref="OnnxUnsupportedException"/> then, never in the middle of a run.</para>
/// <para>In bfloat16 (<see cref="Run(IReadOnlyDictionary{string, Tensor}, IReadOnlyCollection{string}, bool)"/>) every
/// float32 value a node reads is read as bfloat16: the float32 constants through bfloat16 copies made once, on first
/// use, and kept with the graph; so convolutions, batch normalisation, pooling, activations and additions all run in
/// bfloat16, whatever the exporter folded or not.</para>
/// <para>The graph owns its constant tensors; dispose it when done. Tensors returned by <see cref="Run(IReadOnlyDictionary{string, Tensor}, IReadOnlyCollection{string})"/>
/// belong to the caller.</para>
/// </remarks>
public sealed class OnnxGraph : IDisposable
{
    /// <summary>The newest default-domain operator set accepted; the supported operators did not change meaning up to it.</summary>
    public const long MaxOpset = 22;

    /// <summary>Largest declared input (in elements) that is evaluated to recognise baked-in "same" padding.</summary>
    /// <remarks>
    /// 2^24 (64 MiB of float32, e.g. 3 x 2364 x 2364) is far above any image model's declared input. 2^28 let a damaged
    /// declared batch of 65537 (of 2 x 15 x 15 inputs, found by the fuzz test) be evaluated while the graph was built:
    /// 546 MB of activations, and more than the fuzz test's 5 s limit on a busy machine.
    /// </remarks>
    private const double DeclaredRunLimit = 1 << 24;

    private readonly OnnxNode[] _nodes;
    private readonly OnnxOperator[] _operators;
    private readonly Dictionary<string, int> _producer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _constants = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inputNames;
    private readonly List<OnnxPaddingRecompute> _recomputed = [];
    private Dictionary<string, Tensor>? _bf16Constants;
    private bool _disposed;

    /// <summary>Compiles <paramref name="model"/>, validating every node.</summary>
    /// <exception cref="OnnxUnsupportedException">An operator, attribute value or data type is not supported.</exception>
    /// <exception cref="OnnxFormatException">The graph is malformed (e.g. has a cycle, or fails at its declared input size).</exception>
    public OnnxGraph(OnnxModel model, OnnxImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        TorchRuntime.EnsureInitialized();
        Model = model;
        options ??= OnnxImportOptions.Default;
        if (model.OpsetVersion > MaxOpset)
        {
            throw new OnnxUnsupportedException(model.SourceName, $"ONNX operator set {model.OpsetVersion} is newer than the newest supported, {MaxOpset}");
        }

        _nodes = OnnxTopology.Sort(model);
        _inputNames = model.Inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        _operators = new OnnxOperator[_nodes.Length];
        try
        {
            foreach ((string name, OnnxTensorData data) in model.Initializers)
            {
                // Detached from any dispose scope of the caller: the graph owns these until it is disposed.
                _constants[name] = data.ToTensor().DetachFromDisposeScope();
            }

            CheckWeightsFinite();
            for (int i = 0; i < _nodes.Length; i++)
            {
                var ctx = new OnnxNodeContext(_nodes[i], model.SourceName, model.OpsetVersion, model.Initializers);
                _operators[i] = OnnxOperatorRegistry.Create(ctx);
                foreach (string o in _nodes[i].Outputs.Where(o => o.Length > 0))
                {
                    _producer[o] = i;
                }
            }

            ValueNames = _nodes.SelectMany(n => n.Outputs.Where(o => o.Length > 0)).ToArray();
            if (options.RecomputeSamePadding)
            {
                RecomputeSamePadding();
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    // The learned parameters (constant inputs of the operators that carry weights) must be finite; other constants
    // may legitimately hold infinities (a Clip bound, a padding value), so they are not checked.
    private void CheckWeightsFinite()
    {
        foreach (OnnxNode node in _nodes.Where(n => WeightedOperators.Contains(n.OpType)))
        {
            foreach (string input in node.Inputs)
            {
                if (_constants.TryGetValue(input, out Tensor? value) && DamagedWeights.Describe(value) is string what)
                {
                    throw new OnnxFormatException(Model.SourceName, $"initializer '{input}' ({node.OpType} node '{node.Name}'): {what}: {DamagedWeights.Advice}");
                }
            }
        }
    }

    private static readonly HashSet<string> WeightedOperators = new(StringComparer.Ordinal)
    {
        "Conv", "ConvTranspose", "Gemm", "MatMul", "BatchNormalization", "InstanceNormalization", "LayerNormalization", "PRelu",
    };

    /// <summary>The model the graph was built from.</summary>
    public OnnxModel Model { get; }

    /// <summary>The inputs the caller supplies to <see cref="Run(IReadOnlyDictionary{string, Tensor}, IReadOnlyCollection{string})"/>.</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs => Model.Inputs;

    /// <summary>The graph outputs.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs => Model.Outputs;

    /// <summary>The nodes in evaluation (topological) order, each with its op type, name, inputs and outputs.</summary>
    public IReadOnlyList<OnnxNode> Nodes => _nodes;

    /// <summary>Every node output, in evaluation order: the names that can be tapped.</summary>
    public IReadOnlyList<string> ValueNames { get; } = [];

    /// <summary>The nodes whose explicit pads were switched to a SAME mode (see <see cref="OnnxImportOptions.RecomputeSamePadding"/>).</summary>
    public IReadOnlyList<OnnxPaddingRecompute> RecomputedPadding => _recomputed;

    /// <summary>The frozen initializer tensors, for tests.</summary>
    internal IReadOnlyDictionary<string, Tensor> Constants => _constants;

    /// <summary>How many bfloat16 copies of constants bfloat16 runs have made so far, for tests.</summary>
    internal int BFloat16ConstantCount => _bf16Constants?.Count ?? 0;

    /// <summary>Counts node evaluations (tests use it to check that a run stops after the last node it needs).</summary>
    internal Action<OnnxNode>? NodeEvaluated { get; set; }

    /// <summary>Reads and compiles an .onnx file.</summary>
    /// <exception cref="OnnxFormatException">The file is not a valid model, or uses something unsupported (<see cref="OnnxUnsupportedException"/>).</exception>
    public static OnnxGraph Load(string path, OnnxImportOptions? options = null) => new(OnnxModel.Load(path), options);

    /// <summary>Runs the graph and returns its declared outputs.</summary>
    public IReadOnlyDictionary<string, Tensor> Run(IReadOnlyDictionary<string, Tensor> inputs) =>
        Run(inputs, Outputs.Select(o => o.Name).ToArray());

    /// <summary>
    /// Evaluates the nodes needed for <paramref name="taps"/> (any node outputs, inputs or initializers) and
    /// returns those values. Nodes that no tap depends on are skipped, and evaluation stops after the last
    /// needed node. Intermediate values that are not tapped are disposed as soon as no later node needs them
    /// (autograd keeps what backward needs). The returned tensors are new and belong to the caller; gradients flow
    /// back to the inputs.
    /// </summary>
    /// <exception cref="ArgumentException">An input is missing or unknown, or a tap names no value of the graph.</exception>
    /// <exception cref="OnnxEvaluationException">A node failed, e.g. because the input's shape does not fit the model.</exception>
    public IReadOnlyDictionary<string, Tensor> Run(IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyCollection<string> taps) =>
        Run(inputs, taps, bfloat16: false);

    /// <summary>
    /// <see cref="Run(IReadOnlyDictionary{string, Tensor}, IReadOnlyCollection{string})"/>, in bfloat16 when
    /// <paramref name="bfloat16"/>: every float32 value a node reads (inputs, constants, earlier results) is read as
    /// bfloat16, so the tapped values computed by nodes come back in bfloat16 (the caller casts them back).
    /// </summary>
    /// <exception cref="ArgumentException">An input is missing or unknown, or a tap names no value of the graph.</exception>
    /// <exception cref="OnnxEvaluationException">A node failed, e.g. because the input's shape does not fit the model.</exception>
    public IReadOnlyDictionary<string, Tensor> Run(IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyCollection<string> taps, bool bfloat16)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(taps);
        CheckInputs(inputs);
        bool[] needed = Needed(taps);
        List<string>[] free = FreeLists(needed, taps as IReadOnlySet<string> ?? taps.ToHashSet(StringComparer.Ordinal));

        var owned = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            int lastNeeded = Array.LastIndexOf(needed, true);
            for (int i = 0; i <= lastNeeded; i++)
            {
                if (!needed[i])
                {
                    continue;
                }

                Evaluate(i, inputs, owned, bfloat16);
                foreach (string name in free[i])
                {
                    if (owned.Remove(name, out Tensor? t))
                    {
                        t.Dispose();
                    }
                }
            }

            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (string tap in taps.Distinct())
            {
                result[tap] = owned.Remove(tap, out Tensor? t) ? t : Lookup(tap, inputs, owned).alias();
            }

            return result;
        }
        finally
        {
            foreach (Tensor t in owned.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>The shapes of <paramref name="taps"/> (all <see cref="ValueNames"/> when null) for inputs of the given shapes.</summary>
    /// <remarks>Runs the graph once on zeros without gradient tracking, so it costs one forward pass.</remarks>
    public IReadOnlyDictionary<string, long[]> InferShapes(IReadOnlyDictionary<string, long[]> inputShapes, IReadOnlyCollection<string>? taps = null)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var inputs = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (OnnxValueInfo input in Inputs)
        {
            if (!inputShapes.TryGetValue(input.Name, out long[]? shape))
            {
                throw new ArgumentException($"{Model.SourceName}: no shape given for input '{input.Name}'", nameof(inputShapes));
            }

            inputs[input.Name] = zeros(shape, ScalarTypes.FromOnnx(input.ElementType) ?? ScalarType.Float32);
        }

        return Run(inputs, taps ?? ValueNames).ToDictionary(kv => kv.Key, kv => kv.Value.shape, StringComparer.Ordinal);
    }

    /// <summary>The shapes of <paramref name="taps"/> (all <see cref="ValueNames"/> when null) for a single-input model.</summary>
    public IReadOnlyDictionary<string, long[]> InferShapes(long[] inputShape, IReadOnlyCollection<string>? taps = null)
    {
        if (Inputs.Count != 1)
        {
            throw new InvalidOperationException($"{Model.SourceName} has {Inputs.Count} inputs; give a shape for each by name");
        }

        return InferShapes(new Dictionary<string, long[]> { [Inputs[0].Name] = inputShape }, taps);
    }

    /// <summary>Releases the constant tensors.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (Tensor t in _constants.Values.Concat(_bf16Constants?.Values ?? Enumerable.Empty<Tensor>()))
        {
            t.Dispose();
        }

        foreach (OnnxOperator? op in _operators)
        {
            op?.Dispose();
        }
    }

    private void CheckInputs(IReadOnlyDictionary<string, Tensor> inputs)
    {
        foreach (OnnxValueInfo input in Inputs)
        {
            if (!inputs.TryGetValue(input.Name, out Tensor? t))
            {
                throw new ArgumentException($"{Model.SourceName}: input '{input.Name}' is not given", nameof(inputs));
            }

            if (input.Shape is not null && input.Shape.Count != t.dim())
            {
                throw new ArgumentException($"{Model.SourceName}: input '{input.Name}' has rank {input.Shape.Count} ({input}) but the tensor is {TensorValues.Shape(t)}", nameof(inputs));
            }
        }

        foreach (string name in inputs.Keys.Where(k => !_inputNames.Contains(k)))
        {
            throw new ArgumentException($"{Model.SourceName}: '{name}' is not an input of the graph (inputs: {string.Join(", ", _inputNames)})", nameof(inputs));
        }
    }

    private bool[] Needed(IReadOnlyCollection<string> taps)
    {
        var needed = new bool[_nodes.Length];
        var pending = new Stack<string>();
        foreach (string tap in taps)
        {
            if (!_producer.ContainsKey(tap) && !_constants.ContainsKey(tap) && !_inputNames.Contains(tap))
            {
                throw new ArgumentException($"{Model.SourceName}: '{tap}' is not a value of the graph", nameof(taps));
            }

            pending.Push(tap);
        }

        while (pending.TryPop(out string? name))
        {
            if (_producer.TryGetValue(name, out int i) && !needed[i])
            {
                needed[i] = true;
                foreach (string input in _nodes[i].Inputs.Where(n => n.Length > 0))
                {
                    pending.Push(input);
                }
            }
        }

        return needed;
    }

    /// <summary>For each node position, the values to free once it has run: those read for the last time, or never read.</summary>
    private List<string>[] FreeLists(bool[] needed, IReadOnlySet<string> taps)
    {
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _nodes.Length; i++)
        {
            if (!needed[i])
            {
                continue;
            }

            foreach (string output in _nodes[i].Outputs.Where(n => n.Length > 0))
            {
                last[output] = i;
            }

            foreach (string input in _nodes[i].Inputs.Where(_producer.ContainsKey))
            {
                last[input] = i;
            }
        }

        var free = new List<string>[_nodes.Length];
        for (int i = 0; i < free.Length; i++)
        {
            free[i] = [];
        }

        foreach ((string name, int i) in last)
        {
            if (!taps.Contains(name))
            {
                free[i].Add(name);
            }
        }

        return free;
    }

    private void Evaluate(int i, IReadOnlyDictionary<string, Tensor> inputs, Dictionary<string, Tensor> owned, bool bfloat16)
    {
        OnnxNode node = _nodes[i];
        var args = new Tensor?[node.Inputs.Count];
        // bfloat16 casts of float32 values made for this node only (a graph input, or a Cast node's float32 result).
        var casts = new List<Tensor>();
        try
        {
            for (int k = 0; k < args.Length; k++)
            {
                args[k] = node.Inputs[k].Length == 0 ? null : Lookup(node.Inputs[k], inputs, owned);
                if (bfloat16 && args[k] is { dtype: ScalarType.Float32 } value)
                {
                    args[k] = _constants.ContainsKey(node.Inputs[k]) ? BFloat16Constant(node.Inputs[k]) : Cast(value, casts);
                }
            }

            Store(node, args, Compute(i, node, args), owned);
        }
        finally
        {
            // Autograd keeps what backward needs, and a result that was one of them is stored as an alias.
            foreach (Tensor cast in casts)
            {
                cast.Dispose();
            }
        }
    }

    private static Tensor Cast(Tensor value, List<Tensor> casts)
    {
        Tensor cast = value.to(ScalarType.BFloat16);
        casts.Add(cast);
        return cast;
    }

    // The bfloat16 copy of a float32 constant, made once (outside any dispose scope and without gradient: the graph owns it).
    private Tensor BFloat16Constant(string name)
    {
        _bf16Constants ??= new Dictionary<string, Tensor>(StringComparer.Ordinal);
        if (!_bf16Constants.TryGetValue(name, out Tensor? copy))
        {
            using (no_grad())
            {
                copy = _constants[name].to(ScalarType.BFloat16).DetachFromDisposeScope();
            }

            _bf16Constants[name] = copy;
        }

        return copy;
    }

    private Tensor?[] Compute(int i, OnnxNode node, Tensor?[] args)
    {
        try
        {
            return _operators[i].Evaluate(args);
        }
        catch (Exception ex) when (ex is not OnnxEvaluationException and not OutOfMemoryException)
        {
            // LibTorch's messages carry a C++ backtrace after their first line: the first line says what went wrong.
            string reason = ex.Message.Split('\n', 2)[0].Trim();
            throw new OnnxEvaluationException(Model.SourceName, node.ToString(), $"{node.OpType} failed on inputs {Describe(node, args)}: {reason}", ex);
        }
    }

    private void Store(OnnxNode node, Tensor?[] args, Tensor?[] results, Dictionary<string, Tensor> owned)
    {
        NodeEvaluated?.Invoke(node);
        for (int k = 0; k < results.Length; k++)
        {
            if (results[k] is not { } t)
            {
                continue;
            }

            if (k >= node.Outputs.Count || node.Outputs[k].Length == 0)
            {
                t.Dispose();
                continue;
            }

            // A tensor handle is never shared between two names, so freeing one value cannot free another.
            bool shared = args.Any(a => ReferenceEquals(a, t)) || _constants.Values.Any(c => ReferenceEquals(c, t)) || (_bf16Constants?.Values.Any(c => ReferenceEquals(c, t)) ?? false);
            owned[node.Outputs[k]] = shared ? t.alias() : t;
        }
    }

    private Tensor Lookup(string name, IReadOnlyDictionary<string, Tensor> inputs, Dictionary<string, Tensor> owned) =>
        owned.TryGetValue(name, out Tensor? t) ? t
        : _inputNames.Contains(name) ? inputs[name]
        : _constants.TryGetValue(name, out Tensor? c) ? c
        : throw new InvalidOperationException($"value '{name}' was freed or never computed");

    private static string Describe(OnnxNode node, Tensor?[] args) =>
        string.Join(", ", args.Select((a, k) => a is null ? "(none)" : $"'{node.Inputs[k]}' {a.dtype} {TensorValues.Shape(a)}"));

    private void RecomputeSamePadding()
    {
        var candidates = Enumerable.Range(0, _nodes.Length)
            .Where(i => _operators[i] is IWindowOperator w && w.Geometry.HasAsymmetricPads)
            .ToArray();
        if (candidates.Length == 0)
        {
            return;
        }

        var declared = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (OnnxValueInfo input in Inputs)
        {
            if (input.Shape is null || input.Shape.Skip(1).Any(d => d is null))
            {
                return;
            }

            declared[input.Name] = input.Shape.Select(d => d ?? 1).ToArray();
            if (TensorBudget.Elements(declared[input.Name]) > DeclaredRunLimit)
            {
                throw new OnnxFormatException(Model.SourceName, $"declared input {input} is too large to evaluate while building the graph (import with RecomputeSamePadding = false to skip this)");
            }
        }

        IReadOnlyDictionary<string, long[]> shapes;
        try
        {
            shapes = InferShapes(declared, candidates.Select(i => _nodes[i].Inputs[0]).Distinct().ToArray());
        }
        catch (OnnxEvaluationException ex)
        {
            throw new OnnxFormatException(
                Model.SourceName,
                $"running the graph at its declared input size, to recognise baked-in \"same\" padding, failed: {ex.Message} (import with RecomputeSamePadding = false to skip this)",
                ex);
        }

        foreach (int i in candidates)
        {
            SpatialGeometry geometry = ((IWindowOperator)_operators[i]).Geometry;
            long[] spatial = shapes[_nodes[i].Inputs[0]][2..];
            if (spatial.Length == geometry.Rank && geometry.RecomputeAs(spatial) is AutoPad mode)
            {
                string name = mode == AutoPad.SameLower ? "SAME_LOWER" : "SAME_UPPER";
                _recomputed.Add(new OnnxPaddingRecompute(_nodes[i], name, spatial, geometry.Pads));
            }
        }
    }
}
