namespace LambdaCluster.Gateway.CodeSigning;

/// <summary>Code signing (section <c>CodeSigning</c>): the signing profiles whose signatures this node can check.</summary>
public sealed class CodeSigningOptions
{
    public const string Section = "CodeSigning";

    /// <summary>Trusted profile versions; none by default, so that every signed package is checked as unsigned.</summary>
    public List<SigningProfileOptions> Profiles { get; set; } = [];
}
