namespace NeuralStyle.Weights.Onnx;

/// <summary>Orders nodes so that every value is produced before it is read.</summary>
internal static class OnnxTopology
{
    /// <summary>
    /// A topological order that keeps the file's order where it already is one (ONNX requires sorted nodes, but
    /// some tools write them otherwise); a cycle is a format error.
    /// </summary>
    public static OnnxNode[] Sort(OnnxModel model)
    {
        IReadOnlyList<OnnxNode> nodes = model.Nodes;
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < nodes.Count; i++)
        {
            foreach (string o in nodes[i].Outputs.Where(o => o.Length > 0))
            {
                producer[o] = i;
            }
        }

        var waiting = new int[nodes.Count];
        var consumers = new List<int>[nodes.Count];
        for (int i = 0; i < nodes.Count; i++)
        {
            consumers[i] = [];
        }

        for (int i = 0; i < nodes.Count; i++)
        {
            foreach (int p in nodes[i].Inputs.Where(producer.ContainsKey).Select(n => producer[n]).Distinct())
            {
                waiting[i]++;
                consumers[p].Add(i);
            }
        }

        var ready = new PriorityQueue<int, int>();
        for (int i = 0; i < nodes.Count; i++)
        {
            if (waiting[i] == 0)
            {
                ready.Enqueue(i, i);
            }
        }

        var order = new List<OnnxNode>(nodes.Count);
        while (ready.TryDequeue(out int i, out _))
        {
            order.Add(nodes[i]);
            foreach (int c in consumers[i])
            {
                if (--waiting[c] == 0)
                {
                    ready.Enqueue(c, c);
                }
            }
        }

        if (order.Count != nodes.Count)
        {
            OnnxNode stuck = nodes[Array.FindIndex(waiting, w => w > 0)];
            throw new OnnxFormatException(model.SourceName, $"the graph has a cycle through {stuck}");
        }

        return order.ToArray();
    }
}
