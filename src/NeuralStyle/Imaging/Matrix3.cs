namespace NeuralStyle.Imaging;

/// <summary>An immutable 3×3 double matrix with just the linear algebra colour statistics need.</summary>
internal sealed class Matrix3
{
    // Row-major: element (row, col) is at row * 3 + col.
    private readonly double[] values;

    private Matrix3(double[] values) => this.values = values;

    /// <summary>The identity matrix.</summary>
    public static Matrix3 Identity { get; } = Diagonal(1, 1, 1);

    /// <summary>Element at <paramref name="row"/>, <paramref name="col"/> (both 0..2).</summary>
    public double this[int row, int col] => values[(row * 3) + col];

    /// <summary>The sum of the diagonal.</summary>
    public double Trace => values[0] + values[4] + values[8];

    /// <summary>Builds a matrix from its nine elements, row by row.</summary>
    public static Matrix3 FromRows(
        double m00, double m01, double m02, double m10, double m11, double m12, double m20, double m21, double m22) =>
        new([m00, m01, m02, m10, m11, m12, m20, m21, m22]);

    /// <summary>A diagonal matrix.</summary>
    public static Matrix3 Diagonal(double d0, double d1, double d2) => FromRows(d0, 0, 0, 0, d1, 0, 0, 0, d2);

    /// <summary>V diag(<paramref name="eigenvalues"/>) Vᵀ, with the eigenvectors in the columns of V.</summary>
    public static Matrix3 FromEigen(ReadOnlySpan<double> eigenvalues, Matrix3 eigenvectors)
    {
        var result = new double[9];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                var sum = 0.0;
                for (var k = 0; k < 3; k++)
                {
                    sum += eigenvectors[i, k] * eigenvalues[k] * eigenvectors[j, k];
                }

                result[(i * 3) + j] = sum;
            }
        }

        return new Matrix3(result);
    }

    /// <summary>Matrix product.</summary>
    public static Matrix3 operator *(Matrix3 a, Matrix3 b)
    {
        var result = new double[9];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                result[(i * 3) + j] = (a[i, 0] * b[0, j]) + (a[i, 1] * b[1, j]) + (a[i, 2] * b[2, j]);
            }
        }

        return new Matrix3(result);
    }

    /// <summary>Element-wise sum.</summary>
    public static Matrix3 operator +(Matrix3 a, Matrix3 b) =>
        new([.. a.values.Zip(b.values, (x, y) => x + y)]);

    /// <summary>Element-wise difference.</summary>
    public static Matrix3 operator -(Matrix3 a, Matrix3 b) =>
        new([.. a.values.Zip(b.values, (x, y) => x - y)]);

    /// <summary>The transpose.</summary>
    public Matrix3 Transpose() =>
        FromRows(this[0, 0], this[1, 0], this[2, 0], this[0, 1], this[1, 1], this[2, 1], this[0, 2], this[1, 2], this[2, 2]);

    /// <summary>The largest absolute element (a cheap norm for tolerances).</summary>
    public double MaxAbs() => values.Max(Math.Abs);

    /// <summary>Matrix × column vector.</summary>
    public (double X, double Y, double Z) Transform(double x, double y, double z) =>
        ((this[0, 0] * x) + (this[0, 1] * y) + (this[0, 2] * z),
         (this[1, 0] * x) + (this[1, 1] * y) + (this[1, 2] * z),
         (this[2, 0] * x) + (this[2, 1] * y) + (this[2, 2] * z));

    /// <summary>
    /// Lower-triangular L with L Lᵀ = this, for a symmetric positive semi-definite matrix. A pivot that is zero up
    /// to rounding gives a zero column instead of NaN, which is the exact factor of a rank-deficient matrix
    /// (for a PSD matrix a zero pivot forces the rest of its column of the Schur complement to zero).
    /// </summary>
    public Matrix3 Cholesky()
    {
        var tolerance = 1e-12 * Math.Max(Math.Max(Math.Abs(values[0]), Math.Abs(values[4])), Math.Abs(values[8]));
        var l = new double[9];
        for (var j = 0; j < 3; j++)
        {
            var pivot = this[j, j];
            for (var k = 0; k < j; k++)
            {
                pivot -= l[(j * 3) + k] * l[(j * 3) + k];
            }

            if (pivot <= tolerance)
            {
                continue; // column j stays zero
            }

            var diagonal = Math.Sqrt(pivot);
            l[(j * 3) + j] = diagonal;
            for (var i = j + 1; i < 3; i++)
            {
                var sum = this[i, j];
                for (var k = 0; k < j; k++)
                {
                    sum -= l[(i * 3) + k] * l[(j * 3) + k];
                }

                l[(i * 3) + j] = sum / diagonal;
            }
        }

        return new Matrix3(l);
    }

    /// <summary>The inverse of a lower-triangular matrix with a non-zero diagonal, by forward substitution.</summary>
    public Matrix3 InverseLowerTriangular()
    {
        var inverse = new double[9];
        for (var col = 0; col < 3; col++)
        {
            // Solve L x = e_col; x is zero above the diagonal.
            for (var i = col; i < 3; i++)
            {
                var sum = i == col ? 1.0 : 0.0;
                for (var k = col; k < i; k++)
                {
                    sum -= this[i, k] * inverse[(k * 3) + col];
                }

                inverse[(i * 3) + col] = sum / this[i, i];
            }
        }

        return new Matrix3(inverse);
    }

    /// <summary>
    /// Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations: this = V diag(values) Vᵀ with V
    /// orthogonal (eigenvectors in its columns). Only the upper triangle is read (the matrix is assumed symmetric).
    /// </summary>
    public (double[] Values, Matrix3 Vectors) SymmetricEigen()
    {
        var a = (double[])values.Clone();
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < i; j++)
            {
                a[(i * 3) + j] = a[(j * 3) + i];
            }
        }

        var v = (double[])Identity.values.Clone();
        var scale = a.Sum(x => x * x);
        // Jacobi converges quadratically; a 3×3 needs a handful of sweeps, 50 is a safety net, not a budget.
        for (var sweep = 0; sweep < 50; sweep++)
        {
            var off = (a[1] * a[1]) + (a[2] * a[2]) + (a[5] * a[5]);
            if (off <= 1e-32 * scale)
            {
                break;
            }

            Rotate(a, v, 0, 1);
            Rotate(a, v, 0, 2);
            Rotate(a, v, 1, 2);
        }

        return ([a[0], a[4], a[8]], new Matrix3(v));
    }

    /// <summary>A = Jᵀ A J and V = V J for the rotation J that zeroes A[p, q] (Numerical Recipes' formulation).</summary>
    private static void Rotate(double[] a, double[] v, int p, int q)
    {
        var apq = a[(p * 3) + q];
        if (apq == 0)
        {
            return;
        }

        var theta = (a[(q * 3) + q] - a[(p * 3) + p]) / (2 * apq);
        // The smaller root of t² + 2θt - 1 = 0 keeps the rotation angle at most π/4, which is what makes it stable;
        // for huge θ the θ² would overflow, and t ≈ 1/(2θ) there anyway.
        var t = Math.Abs(theta) > 1e150
            ? 1 / (2 * theta)
            : Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
        var c = 1 / Math.Sqrt((t * t) + 1);
        var s = t * c;
        for (var k = 0; k < 3; k++)
        {
            var akp = a[(k * 3) + p];
            var akq = a[(k * 3) + q];
            a[(k * 3) + p] = (c * akp) - (s * akq);
            a[(k * 3) + q] = (s * akp) + (c * akq);
        }

        for (var k = 0; k < 3; k++)
        {
            var apk = a[(p * 3) + k];
            var aqk = a[(q * 3) + k];
            a[(p * 3) + k] = (c * apk) - (s * aqk);
            a[(q * 3) + k] = (s * apk) + (c * aqk);
        }

        for (var k = 0; k < 3; k++)
        {
            var vkp = v[(k * 3) + p];
            var vkq = v[(k * 3) + q];
            v[(k * 3) + p] = (c * vkp) - (s * vkq);
            v[(k * 3) + q] = (s * vkp) + (c * vkq);
        }
    }
}
