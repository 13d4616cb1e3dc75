using System.Text.RegularExpressions;
using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Runtimes.FileSystems;
using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Runtimes.Vpc;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>
/// Checks a request's VpcConfig and FileSystemConfigs as Lambda does
/// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html, configuration-filesystem.html) against the
/// subnets, security groups and access points this cluster's nodes define (Vpc, FileSystems), before anything is stored:
/// the model's constraints as ValidationException, the rest as InvalidParameterValueException in Lambda's and EC2's words.
/// </summary>
public sealed partial class VpcConfigs(IOptions<VpcOptions> vpc, IOptions<FileSystemOptions> fileSystems)
{
    /// <summary>
    /// The VpcConfig to store for <paramref name="request"/>: null when none was given, empty lists (detached) when both
    /// lists are empty, else the subnets and groups with their VPC's id.
    /// </summary>
    public FunctionVpcConfig? Resolve(VpcConfigDto? request)
    {
        if (request is null)
        {
            return null;
        }

        var subnets = (request.SubnetIds ?? []).Distinct(StringComparer.Ordinal).ToList();
        var groups = (request.SecurityGroupIds ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (subnets.Count > 16)
        {
            throw FunctionValidator.Validation($"[{string.Join(", ", subnets)}]", "vpcConfig.subnetIds", "Member must have length less than or equal to 16");
        }

        if (groups.Count > 5)
        {
            throw FunctionValidator.Validation($"[{string.Join(", ", groups)}]", "vpcConfig.securityGroupIds", "Member must have length less than or equal to 5");
        }

        if (subnets.Count == 0 != (groups.Count == 0))
        {
            throw Invalid("SubnetIds and SecurityIds must coexist or be both empty list.");
        }

        if (subnets.Count == 0)
        {
            return new FunctionVpcConfig([], [], "", false);
        }

        var vpcIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in subnets)
        {
            vpcIds.Add(vpc.Value.Subnet(id)?.VpcId
                ?? throw Invalid($"Error occurred while DescribeSubnets. EC2 Error Code: InvalidSubnetID.NotFound. EC2 Error Message: The subnet ID '{id}' does not exist"));
        }

        foreach (var id in groups)
        {
            vpcIds.Add(vpc.Value.SecurityGroup(id)?.VpcId
                ?? throw Invalid($"Error occurred while DescribeSecurityGroups. EC2 Error Code: InvalidGroup.NotFound. EC2 Error Message: The security group '{id}' does not exist"));
        }

        if (vpcIds.Count > 1)
        {
            throw Invalid($"The subnets and security groups of a function must belong to one VPC; these belong to {string.Join(", ", vpcIds.Order(StringComparer.Ordinal))}.");
        }

        if (request.Ipv6AllowedForDualStack == true)
        {
            throw Invalid("Ipv6AllowedForDualStack requires dual-stack subnets; the subnets of this cluster carry IPv4 only.");
        }

        return new FunctionVpcConfig(subnets, groups, vpcIds.Single(), false);
    }

    /// <summary>The FileSystemConfigs to store for <paramref name="request"/>: null when none were given (an empty list removes them).</summary>
    public IReadOnlyList<FileSystemConfig>? Resolve(List<FileSystemConfigDto>? request)
    {
        if (request is null)
        {
            return null;
        }

        if (request.Count > 1)
        {
            throw FunctionValidator.Validation($"{request.Count} file systems", "fileSystemConfigs", "Member must have length less than or equal to 1");
        }

        var configs = new List<FileSystemConfig>();
        foreach (var (config, index) in request.Select((c, i) => (c, i + 1)))
        {
            var member = $"fileSystemConfigs.{index}.member";
            if (config.Arn is null || config.LocalMountPath is null)
            {
                throw FunctionValidator.Validation("null", $"{member}.{(config.Arn is null ? "arn" : "localMountPath")}", "Member must not be null");
            }

            if (config.Arn.Length > 256 || !FileSystemOptionsValidator.AccessPointArn().IsMatch(config.Arn))
            {
                throw FunctionValidator.Validation(config.Arn, $"{member}.arn", "Member must satisfy regular expression pattern: arn:aws[a-zA-Z-]*:elasticfilesystem:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1}:\\d{12}:access-point/fsap-[a-f0-9]{17}$");
            }

            if (config.LocalMountPath.Length > 160 || !LocalMountPath().IsMatch(config.LocalMountPath))
            {
                throw FunctionValidator.Validation(config.LocalMountPath, $"{member}.localMountPath", "Member must satisfy regular expression pattern: /mnt/[a-zA-Z0-9-_.]+");
            }

            if (config.LocalMountPath is "/mnt/." or "/mnt/..")
            {
                throw Invalid($"LocalMountPath {config.LocalMountPath} is not a directory under /mnt/.");
            }

            if (fileSystems.Value.AccessPoint(config.Arn) is null)
            {
                throw Invalid($"The access point {config.Arn} does not exist.");
            }

            configs.Add(new FileSystemConfig(config.Arn, config.LocalMountPath));
        }

        return configs;
    }

    /// <summary>
    /// What Lambda requires of the function as it will be: a file system only with a VPC, and not with SnapStart.
    /// </summary>
    public static void CheckTogether(FunctionVpcConfig? vpc, IReadOnlyList<FileSystemConfig> fileSystems, string snapStartApplyOn)
    {
        if (fileSystems.Count == 0)
        {
            return;
        }

        if (vpc is not { Attached: true })
        {
            throw Invalid($"Function must be configured to execute in a VPC to reference access point {fileSystems[0].Arn}.");
        }

        if (snapStartApplyOn == "PublishedVersions")
        {
            throw Invalid("SnapStart is not supported for functions that use an Amazon EFS file system.");
        }
    }

    private static LambdaServiceException Invalid(string message) => new(LambdaErrorType.InvalidParameterValueException, message);

    [GeneratedRegex(@"\A/mnt/[a-zA-Z0-9\-_.]+\z")]
    private static partial Regex LocalMountPath();
}
