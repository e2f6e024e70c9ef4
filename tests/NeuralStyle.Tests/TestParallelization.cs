using Xunit;

// Test classes run one after another. Many tests seed TorchSharp's global generator (dropout masks, random initial
// weights, the seeded noise image) and compare runs bit for bit; classes running in parallel in this one process draw
// from the same generator and change each other's numbers. On a 2-core machine, where every test already uses both
// cores through LibTorch, parallel classes saved little time anyway.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
