namespace NeuralStyle.Imaging;

/// <summary>How <see cref="ColorTransfer.MatchStyleToContent"/> picks the linear map A with A Σ_s Aᵀ = Σ_c.</summary>
/// <remarks>
/// Every such A is L_c Q L_s⁻¹ for some orthogonal Q, so both choices give identical mean and covariance and
/// differ only by a rotation of the colour cloud (Gatys et al. 2016, "Preserving Color in Neural Artistic Style
/// Transfer", section 2).
/// </remarks>
public enum ColorTransferMethod
{
    /// <summary>A = L_c L_s⁻¹, with L the lower-triangular Cholesky factors (L Lᵀ = Σ).</summary>
    Cholesky = 0,

    /// <summary>A = Σ_c^½ Σ_s^-½ with symmetric square roots: the "image analogies" variant (Hertzmann et al. 2001).</summary>
    SymmetricSqrt = 1,
}
