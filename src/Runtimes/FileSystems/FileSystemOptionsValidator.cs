using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.FileSystems;

/// <summary>Fails node start-up on an access point that cannot work, naming it.</summary>
public sealed partial class FileSystemOptionsValidator : IValidateOptions<FileSystemOptions>
{
    public ValidateOptionsResult Validate(string? name, FileSystemOptions options)
    {
        var failures = new List<string>();
        foreach (var accessPoint in options.AccessPoints)
        {
            failures.AddRange(Problems(accessPoint).Select(p => $"{FileSystemOptions.Section}:AccessPoints ({accessPoint.Arn}): {p}"));
        }

        failures.AddRange(options.AccessPoints.GroupBy(a => a.Arn).Where(g => g.Count() > 1).Select(g => $"{FileSystemOptions.Section}:AccessPoints: {g.Key} is defined twice."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Problems(AccessPointOptions accessPoint)
    {
        if (!AccessPointArn().IsMatch(accessPoint.Arn))
        {
            yield return "Arn must be an EFS access point ARN (arn:aws:elasticfilesystem:REGION:ACCOUNT:access-point/fsap- and 17 hex digits).";
        }

        if (!System.IO.Path.IsPathFullyQualified(accessPoint.Path))
        {
            yield return "Path must be an absolute path.";
        }

        var root = accessPoint.RootDirectory.Path;
        if (!root.StartsWith('/') || root.Split('/').Any(part => part is ".." or "."))
        {
            yield return "RootDirectory:Path must be an absolute path without . or .. parts.";
        }

        if (accessPoint.PosixUser is null)
        {
            yield return "PosixUser is required: every environment that mounts the access point runs as this user, so that they share its files.";
        }

        if (accessPoint.PosixUser is { } user && (user.Uid is < 1 or > 4294967294 || user.Gid is < 0 or > 4294967294 || user.SecondaryGids.Count > 16 || user.SecondaryGids.Any(g => g is < 0 or > 4294967294)))
        {
            yield return "PosixUser needs a Uid of 1 to 4294967294 (not root), a Gid of 0 to 4294967294 and at most 16 SecondaryGids.";
        }

        if (accessPoint.RootDirectory.CreationInfo is { } creation && !OctalPermissions().IsMatch(creation.Permissions))
        {
            yield return "RootDirectory:CreationInfo:Permissions must be 3 or 4 octal digits.";
        }
    }

    [GeneratedRegex(@"\Aarn:aws[a-zA-Z-]*:elasticfilesystem:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1}:\d{12}:access-point/fsap-[a-f0-9]{17}\z")]
    public static partial Regex AccessPointArn();

    [GeneratedRegex(@"\A[0-7]{3,4}\z")]
    private static partial Regex OctalPermissions();
}
