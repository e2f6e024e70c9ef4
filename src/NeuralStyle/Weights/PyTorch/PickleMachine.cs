using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace NeuralStyle.Weights.PyTorch;

/// <summary>A pickle that cannot be read: malformed, truncated, or using something a state dict never uses.</summary>
/// <param name="message">What is wrong.</param>
/// <param name="endOfData">The pickle ran past the end of the bytes it was given (a reader that gave it only a prefix of a file may give it more).</param>
internal sealed class PickleException(string message, bool endOfData = false) : Exception(message)
{
    public bool EndOfData { get; } = endOfData;
}

/// <summary>
/// A restricted unpickler for the pickles torch.save writes. It builds plain values (numbers, strings, tuples, lists,
/// dicts in insertion order) and interprets only the globals a state dict needs (collections.OrderedDict and
/// torch._utils._rebuild_tensor*/_rebuild_parameter); a class it does not know, instantiated, becomes an inert
/// <see cref="PickleObject"/>, and a call (REDUCE) of a global outside <see cref="TorchGlobals"/>' short list is refused.
/// Nothing is imported or executed, every length is checked against the bytes that remain before anything is
/// allocated, and the machine is a loop, not a recursion, so no input can exhaust memory or the stack.
/// </summary>
internal sealed class PickleMachine
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, true);

    private readonly byte[] data;
    private readonly Func<object?, object> persistentLoad;
    private readonly string where;
    private readonly List<object?> stack = [];
    private readonly Stack<int> marks = new();
    private readonly Dictionary<long, object?> memo = [];
    private int position;

    private PickleMachine(byte[] data, int start, Func<object?, object> persistentLoad, string where)
    {
        this.data = data;
        this.persistentLoad = persistentLoad;
        this.where = where;
        position = start;
    }

    /// <summary>Runs <paramref name="data"/> to its STOP opcode and returns the object it built.</summary>
    /// <param name="data">The pickle.</param>
    /// <param name="persistentLoad">Turns a persistent id (torch: a storage tuple) into its object; throws <see cref="PickleException"/> if it is invalid.</param>
    /// <exception cref="PickleException">The pickle is malformed or uses an unsupported opcode.</exception>
    public static object? Load(byte[] data, Func<object?, object> persistentLoad) => new PickleMachine(data, 0, persistentLoad, "pickle byte").Run();

    /// <summary>
    /// Runs the pickle that starts at <paramref name="start"/> of <paramref name="data"/> to its STOP opcode, for files
    /// that hold several pickles one after another (legacy torch.save); errors name positions as "file byte N".
    /// </summary>
    /// <param name="data">Bytes holding the pickle (a prefix of a file is enough if the pickle ends within it).</param>
    /// <param name="start">Where the pickle starts.</param>
    /// <param name="persistentLoad">As for <see cref="Load(byte[], Func{object?, object})"/>.</param>
    /// <param name="end">The position after the STOP opcode: where the next pickle starts.</param>
    /// <exception cref="PickleException">The pickle is malformed or uses an unsupported opcode; <see cref="PickleException.EndOfData"/> if it runs past <paramref name="data"/>.</exception>
    public static object? Load(byte[] data, int start, Func<object?, object> persistentLoad, out int end)
    {
        var machine = new PickleMachine(data, start, persistentLoad, "file byte");
        object? result = machine.Run();
        end = machine.position;
        return result;
    }

    private object? Run()
    {
        while (true)
        {
            int at = position;
            byte op = ReadByte();
            try
            {
                if (op == 0x2E)
                {
                    // STOP
                    if (stack.Count != 1 || marks.Count != 0)
                    {
                        throw new PickleException($"the pickle stops with {stack.Count} values on the stack, not one");
                    }

                    return stack[0];
                }

                Step(op);
            }
            catch (PickleException e) when (!e.Message.StartsWith(where + " ", StringComparison.Ordinal))
            {
                throw new PickleException($"{where} {at} (opcode 0x{op:X2}): {e.Message}", e.EndOfData);
            }
        }
    }

    private void Step(byte op)
    {
        switch (op)
        {
            case 0x80: // PROTO
                byte protocol = ReadByte();
                if (protocol > 5)
                {
                    throw new PickleException($"pickle protocol {protocol} is not supported (0 to 5 are)");
                }

                break;
            case 0x95: // FRAME: a length hint only
                Take(8);
                break;
            case 0x28: // MARK
                marks.Push(stack.Count);
                break;
            case 0x30: // POP
                Pop();
                break;
            case 0x31: // POP_MARK
                PopMark();
                break;
            case 0x32: // DUP
                Push(Peek());
                break;
            case 0x4A: // BININT
                Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4)));
                break;
            case 0x4B: // BININT1
                Push((long)ReadByte());
                break;
            case 0x4D: // BININT2
                Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2)));
                break;
            case 0x8A: // LONG1
                Push(Long(Take(ReadByte())));
                break;
            case 0x8B: // LONG4
                Push(Long(Take(Length(BinaryPrimitives.ReadInt32LittleEndian(Take(4))))));
                break;
            case 0x4E: // NONE
                Push(null);
                break;
            case 0x88: // NEWTRUE
                Push(true);
                break;
            case 0x89: // NEWFALSE
                Push(false);
                break;
            case 0x47: // BINFLOAT
                Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8)));
                break;
            case 0x55: // SHORT_BINSTRING (Python 2 str)
                Push(Encoding.Latin1.GetString(Take(ReadByte())));
                break;
            case 0x54: // BINSTRING
                Push(Encoding.Latin1.GetString(Take(Length(BinaryPrimitives.ReadInt32LittleEndian(Take(4))))));
                break;
            case 0x43: // SHORT_BINBYTES
                Push(Take(ReadByte()).ToArray());
                break;
            case 0x42: // BINBYTES
                Push(Take(Length(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))).ToArray());
                break;
            case 0x8E: // BINBYTES8
                Push(Take(Length(BinaryPrimitives.ReadUInt64LittleEndian(Take(8)))).ToArray());
                break;
            case 0x8C: // SHORT_BINUNICODE
                Push(Utf8(Take(ReadByte())));
                break;
            case 0x58: // BINUNICODE
                Push(Utf8(Take(Length(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))))));
                break;
            case 0x8D: // BINUNICODE8
                Push(Utf8(Take(Length(BinaryPrimitives.ReadUInt64LittleEndian(Take(8))))));
                break;
            case 0x29: // EMPTY_TUPLE
                Push(Array.Empty<object?>());
                break;
            case 0x74: // TUPLE
                Push(PopMark());
                break;
            case 0x85: // TUPLE1
            case 0x86: // TUPLE2
            case 0x87: // TUPLE3
                Push(PopMany(op - 0x84));
                break;
            case 0x5D: // EMPTY_LIST
            case 0x8F: // EMPTY_SET: a set is only ever inspected as a collection here
                Push(new List<object?>());
                break;
            case 0x6C: // LIST
            case 0x91: // FROZENSET
                Push(new List<object?>(PopMark()));
                break;
            case 0x61: // APPEND
                {
                    object? item = Pop();
                    Collection(Peek()).Add(item);
                    break;
                }

            case 0x65: // APPENDS
            case 0x90: // ADDITEMS
                {
                    object?[] items = PopMark();
                    Collection(Peek()).AddRange(items);
                    break;
                }

            case 0x7D: // EMPTY_DICT
                Push(new PickleDict());
                break;
            case 0x64: // DICT
                {
                    var dict = new PickleDict();
                    SetItems(dict, PopMark());
                    Push(dict);
                    break;
                }

            case 0x73: // SETITEM
                {
                    object?[] pair = PopMany(2);
                    SetItems(Dict(Peek()), pair);
                    break;
                }

            case 0x75: // SETITEMS
                {
                    object?[] items = PopMark();
                    SetItems(Dict(Peek()), items);
                    break;
                }

            case 0x63: // GLOBAL
                Push(new PickleGlobal(ReadLine(), ReadLine()));
                break;
            case 0x93: // STACK_GLOBAL
                {
                    object?[] names = PopMany(2);
                    Push(new PickleGlobal(names[0] as string ?? throw new PickleException("STACK_GLOBAL's module is not a string"), names[1] as string ?? throw new PickleException("STACK_GLOBAL's name is not a string")));
                    break;
                }

            case 0x52: // REDUCE
                {
                    object?[] arguments = Pop() as object?[] ?? throw new PickleException("REDUCE's arguments are not a tuple");
                    Push(TorchGlobals.Reduce(Pop() as PickleGlobal ?? throw new PickleException("REDUCE calls something that is not a global"), arguments));
                    break;
                }

            case 0x81: // NEWOBJ
                {
                    object?[] arguments = Pop() as object?[] ?? throw new PickleException("NEWOBJ's arguments are not a tuple");
                    Push(TorchGlobals.Call(Pop() as PickleGlobal ?? throw new PickleException("NEWOBJ's class is not a global"), arguments));
                    break;
                }

            case 0x92: // NEWOBJ_EX
                {
                    Pop();
                    object?[] arguments = Pop() as object?[] ?? throw new PickleException("NEWOBJ_EX's arguments are not a tuple");
                    Push(TorchGlobals.Call(Pop() as PickleGlobal ?? throw new PickleException("NEWOBJ_EX's class is not a global"), arguments));
                    break;
                }

            case 0x62: // BUILD
                {
                    object? state = Pop();
                    if (Peek() is PickleObject target)
                    {
                        target.State = state;
                    }

                    // An OrderedDict's state is its attributes (torch's _metadata), not items: nothing to keep.
                    break;
                }

            case 0x51: // BINPERSID
                Push(persistentLoad(Pop()));
                break;
            case 0x68: // BINGET
                Push(Recall(ReadByte()));
                break;
            case 0x6A: // LONG_BINGET
                Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))));
                break;
            case 0x71: // BINPUT
                memo[ReadByte()] = Peek();
                break;
            case 0x72: // LONG_BINPUT
                memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Peek();
                break;
            case 0x94: // MEMOIZE
                memo[memo.Count] = Peek();
                break;
            default:
                throw new PickleException(op is >= 0x20 and < 0x7F
                    ? $"opcode '{(char)op}' is not supported (torch.save writes binary pickles; text-protocol opcodes and extensions are not read)"
                    : "unknown opcode");
        }
    }

    private static void SetItems(PickleDict dict, object?[] items)
    {
        if (items.Length % 2 != 0)
        {
            throw new PickleException("a dict is given an odd number of keys and values");
        }

        for (int i = 0; i < items.Length; i += 2)
        {
            dict.Set(items[i] ?? NoneKey.Value, items[i + 1]);
        }
    }

    private static List<object?> Collection(object? target) =>
        target as List<object?> ?? throw new PickleException($"items are appended to {Describe(target)}, not a list");

    private static PickleDict Dict(object? target) =>
        target as PickleDict ?? throw new PickleException($"items are set on {Describe(target)}, not a dict");

    /// <summary>A short description of a value for messages (never recursive).</summary>
    internal static string Describe(object? value) => value switch
    {
        null => "None",
        string s => $"the string '{(s.Length > 40 ? s[..40] + "..." : s)}'",
        long n => $"the integer {n}",
        BigInteger => "an integer beyond 64 bits",
        bool b => b ? "True" : "False",
        double d => $"the float {d}",
        byte[] => "bytes",
        object?[] t => $"a tuple of {t.Length}",
        List<object?> l => $"a list of {l.Count}",
        PickleDict d => $"a dict of {d.Count}",
        PickleGlobal g => $"the global {g}",
        PickleObject o => $"an object of class {o.Type}",
        StorageReference => "a tensor storage",
        TensorReference => "a tensor",
        _ => value.GetType().Name,
    };

    private object? Recall(long key) =>
        memo.TryGetValue(key, out object? value) ? value : throw new PickleException($"memo entry {key} is read before it is written");

    private void Push(object? value) => stack.Add(value);

    private object? Peek()
    {
        int floor = marks.Count > 0 ? marks.Peek() : 0;
        return stack.Count > floor ? stack[^1] : throw new PickleException("the stack is empty");
    }

    private object? Pop()
    {
        object? value = Peek();
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    private object?[] PopMany(int count)
    {
        int floor = marks.Count > 0 ? marks.Peek() : 0;
        if (stack.Count - floor < count)
        {
            throw new PickleException($"{count} values are needed, the stack has {stack.Count - floor}");
        }

        object?[] values = [.. stack.GetRange(stack.Count - count, count)];
        stack.RemoveRange(stack.Count - count, count);
        return values;
    }

    private object?[] PopMark()
    {
        if (marks.Count == 0)
        {
            throw new PickleException("no MARK to pop to");
        }

        int mark = marks.Pop();
        object?[] values = [.. stack.GetRange(mark, stack.Count - mark)];
        stack.RemoveRange(mark, stack.Count - mark);
        return values;
    }

    private byte ReadByte() =>
        position < data.Length ? data[position++] : throw new PickleException($"{where} {position}: the pickle ends without STOP", endOfData: true);

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > data.Length - position)
        {
            throw new PickleException($"{count} bytes are needed, {data.Length - position} remain", endOfData: true);
        }

        var span = new ReadOnlySpan<byte>(data, position, count);
        position += count;
        return span;
    }

    private static int Length(long length) =>
        length is >= 0 and <= int.MaxValue ? (int)length : throw new PickleException($"length {length} is out of range");

    private static int Length(ulong length) => length <= int.MaxValue ? (int)length : throw new PickleException($"length {length} is out of range");

    private string ReadLine()
    {
        // Module and class names are short; looking no further keeps a newline-free pickle from being scanned to its end.
        int end = Array.IndexOf(data, (byte)'\n', position, Math.Min(1001, data.Length - position));
        if (end < 0)
        {
            throw new PickleException("a GLOBAL name is not terminated", endOfData: data.Length - position < 1001);
        }

        string line = Encoding.ASCII.GetString(data, position, end - position);
        position = end + 1;
        return line;
    }

    private static object Long(ReadOnlySpan<byte> bytes)
    {
        var value = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : value;
    }

    private static string Utf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new PickleException("a string is not valid UTF-8");
        }
    }

    /// <summary>Stands for None as a dict key (a dictionary cannot hold a null key).</summary>
    private sealed class NoneKey
    {
        public static readonly NoneKey Value = new();
    }
}
