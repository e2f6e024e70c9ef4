namespace NeuralStyle.Transfer.Optimizers;

/// <summary>What one <see cref="Lbfgs.Step"/> did.</summary>
/// <param name="Loss">The loss at the variable before the step (the closure's first value).</param>
/// <param name="FunctionEvaluations">Closure calls made: 1 without line search, 1 plus the search's trials with it.</param>
/// <param name="StepSize">Multiple of the search direction added to the variable; 0 when it did not move (converged, or the line search found no decrease, as happens once the loss is at its rounding floor).</param>
/// <param name="Converged">A tolerance test held, so the variable was left where it was.</param>
public sealed record LbfgsStepResult(double Loss, int FunctionEvaluations, double StepSize, bool Converged);
