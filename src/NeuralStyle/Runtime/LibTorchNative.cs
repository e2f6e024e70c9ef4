using System.Runtime.InteropServices;
using TorchSharp;

namespace NeuralStyle.Runtime;

/// <summary>
/// The few LibTorch switches that TorchSharp does not expose, reached through the C++ symbols that libtorch_cpu.so and
/// libc10.so export: <c>at::Context::setUserEnabledMkldnn</c> / <c>setUserEnabledNNPACK</c> (what PyTorch's
/// <c>torch.backends.mkldnn.enabled</c> and <c>torch.backends.nnpack</c> set), the oneDNN version string, and c10's
/// <c>FLAGS_caffe2_log_level</c> (the minimum severity c10 logging prints).
/// </summary>
/// <remarks>
/// On x86-64 Linux a C++ member function is an ordinary function taking <c>this</c> first, and a function returning
/// <c>std::string</c> by value takes a hidden pointer to the 32-byte result first (libstdc++'s layout: data pointer,
/// length, 16-byte buffer). The symbols are resolved from the copies TorchSharp has already loaded (by soname), so
/// the library must be initialised first: every member touches <see cref="torch"/> before resolving.
/// LibTorchSharp never calls c10's <c>initLogging</c>, so the documented <c>TORCH_CPP_LOG_LEVEL</c> variable has no
/// effect on its own; <see cref="LogLevel"/> sets the flag it would have set.
/// </remarks>
internal static class LibTorchNative
{
    private const string GlobalContext = "_ZN2at13globalContextEv";
    private const string UserEnabledMkldnn = "_ZNK2at7Context17userEnabledMkldnnEv";
    private const string SetUserEnabledMkldnn = "_ZN2at7Context20setUserEnabledMkldnnEb";
    private const string UserEnabledNnpack = "_ZNK2at7Context17userEnabledNNPACKEv";
    private const string SetUserEnabledNnpack = "_ZN2at7Context20setUserEnabledNNPACKEb";
    private const string MkldnnVersion = "_ZN2at18get_mkldnn_versionB5cxx11Ev";
    private const string LogLevelFlag = "FLAGS_caffe2_log_level";

    private static readonly Lazy<Exports> Resolved = new(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<string?> Version = new(ReadOneDnnVersion, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lock Gate = new();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr ContextGetter();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    [return: MarshalAs(UnmanagedType.U1)]
    private delegate bool FlagGetter(IntPtr context);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void FlagSetter(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool value);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr StringReturning(IntPtr result);

    /// <summary>Whether LibTorch may use oneDNN (MKL-DNN) kernels: convolutions, and bf16 matrix products.</summary>
    public static bool OneDnnEnabled
    {
        get => Resolved.Value.GetMkldnn(Resolved.Value.Context);
        set
        {
            lock (Gate)
            {
                Resolved.Value.SetMkldnn(Resolved.Value.Context, value);
            }
        }
    }

    /// <summary>Whether LibTorch may use NNPACK (batch-16+ inference convolutions).</summary>
    public static bool NnpackEnabled
    {
        get => Resolved.Value.GetNnpack(Resolved.Value.Context);
        set
        {
            lock (Gate)
            {
                Resolved.Value.SetNnpack(Resolved.Value.Context, value);
            }
        }
    }

    /// <summary>c10's minimum printed severity: 0 info, 1 warning (the default), 2 error, 3 fatal.</summary>
    public static int LogLevel
    {
        get => Marshal.ReadInt32(Resolved.Value.LogLevel);
        set => Marshal.WriteInt32(Resolved.Value.LogLevel, value);
    }

    /// <summary>oneDNN's version as LibTorch reports it ("3.7.1 (Git Hash 8d263e69...)"), null if it cannot be read.</summary>
    public static string? OneDnnVersion => Version.Value;

    private static Exports Resolve()
    {
        // Loads LibTorch through TorchSharp (its own search and fallback logic) before anything is resolved here.
        _ = torch.get_num_threads();
        try
        {
            return ResolveLoaded();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Another LibTorch build than TorchSharp 0.107's (2.10) may name things differently: say so in one line.
            throw new KernelCheckException($"cannot reach LibTorch's kernel switches ({e.Message}); this build of NeuralStyle expects LibTorch {torch.__version__} as TorchSharp ships it", e);
        }
    }

    private static Exports ResolveLoaded()
    {
        IntPtr cpu = Load("libtorch_cpu.so");
        IntPtr c10 = Load("libc10.so");
        IntPtr context = Marshal.GetDelegateForFunctionPointer<ContextGetter>(NativeLibrary.GetExport(cpu, GlobalContext))();
        return new Exports(
            context,
            Function<FlagGetter>(cpu, UserEnabledMkldnn),
            Function<FlagSetter>(cpu, SetUserEnabledMkldnn),
            Function<FlagGetter>(cpu, UserEnabledNnpack),
            Function<FlagSetter>(cpu, SetUserEnabledNnpack),
            NativeLibrary.GetExport(c10, LogLevelFlag),
            cpu);
    }

    private static IntPtr Load(string soname) =>
        NativeLibrary.TryLoad(soname, typeof(torch).Assembly, null, out IntPtr handle)
            ? handle
            : throw new DllNotFoundException($"{soname} is not loaded although TorchSharp initialised");

    private static T Function<T>(IntPtr library, string symbol)
        where T : Delegate => Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(library, symbol));

    private static string? ReadOneDnnVersion()
    {
        if (!NativeLibrary.TryGetExport(Resolved.Value.Cpu, MkldnnVersion, out IntPtr address))
        {
            return null;
        }

        // The std::string is left to leak when it is longer than the small-string buffer: one short string per process.
        IntPtr result = Marshal.AllocHGlobal(64);
        try
        {
            Marshal.GetDelegateForFunctionPointer<StringReturning>(address)(result);
            IntPtr data = Marshal.ReadIntPtr(result);
            long length = Marshal.ReadInt64(result, IntPtr.Size);
            if (data == IntPtr.Zero || length is <= 0 or > 4096)
            {
                return null;
            }

            string text = Marshal.PtrToStringUTF8(data, (int)length);
            // "Intel(R) MKL-DNN v3.7.1 (Git Hash 8d26...)": keep what follows the 'v'.
            int v = text.IndexOf(" v", StringComparison.Ordinal);
            return v >= 0 ? text[(v + 2)..] : text;
        }
        finally
        {
            Marshal.FreeHGlobal(result);
        }
    }

    private sealed record Exports(
        IntPtr Context,
        FlagGetter GetMkldnn,
        FlagSetter SetMkldnn,
        FlagGetter GetNnpack,
        FlagSetter SetNnpack,
        IntPtr LogLevel,
        IntPtr Cpu);
}
