using NeuralStyle.Cli;

return NeuralStyleApp.Run(args, Console.Out, Console.Error, interactive: !Console.IsErrorRedirected);
