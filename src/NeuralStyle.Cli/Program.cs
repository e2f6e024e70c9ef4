using TorchSharp;
System.Console.WriteLine(torch.randn(3, 3).sum().item<float>());
