using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Runtimes.Catalog;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>Which operation a FunctionConfiguration answers: Lambda shows different members in each.</summary>
public enum ConfigurationView
{
    Create,
    Get,
    List,
    Update,
}

/// <summary>Turns a stored function into Lambda's FunctionConfiguration as each operation shows it.</summary>
public static class FunctionConfigurations
{
    public static FunctionConfigurationDto From(FunctionDefinition f, ConfigurationView view)
    {
        var runtimeVersion = RuntimeCatalog.TryGet(f.Runtime, out var descriptor) ? descriptor.RuntimeVersion : f.Runtime;
        var runtimeArn = $"arn:aws:lambda:{f.Region}::runtime:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(runtimeVersion)))}";
        return new FunctionConfigurationDto
        {
            FunctionName = f.FunctionName,
            FunctionArn = f.FunctionArn,
            Runtime = f.IsImage ? null : f.Runtime,
            Role = f.Role,
            Handler = f.IsImage ? null : f.Handler,
            CodeSize = f.CodeSize,
            Description = f.Description,
            Timeout = f.Timeout,
            MemorySize = f.MemorySize,
            LastModified = Timestamp(f.LastModified),
            CodeSha256 = f.CodeSha256,
            Version = f.Version,
            Environment = f.Variables is null ? null : new EnvironmentDto { Variables = new Dictionary<string, string>(f.Variables) },
            TracingConfig = new TracingConfigDto(f.TracingMode),
            RevisionId = f.RevisionId,
            // Creation and updates complete before the call returns, so the waiters see Active/Successful at once;
            // the responses to Create and Update still say what Lambda's say (Pending, InProgress).
            // A SnapStart version stays Pending until its snapshot is made (Failed when it could not be).
            State = f.State is not null && view != ConfigurationView.List ? f.State : view switch { ConfigurationView.List => null, ConfigurationView.Create => "Pending", _ => "Active" },
            StateReason = f.State is not null && view != ConfigurationView.List ? f.StateReason : view == ConfigurationView.Create ? "The function is being created." : null,
            StateReasonCode = f.State is not null && view != ConfigurationView.List ? f.StateReasonCode : view == ConfigurationView.Create ? "Creating" : null,
            // A new image is pulled after the update returns: InProgress until then (Failed, with Lambda's reason, if it cannot be).
            LastUpdateStatus = f.LastUpdateStatus is { } status && view != ConfigurationView.List ? status : view switch { ConfigurationView.Get => "Successful", ConfigurationView.Update => "InProgress", _ => null },
            LastUpdateStatusReason = f.LastUpdateStatus is not null && view != ConfigurationView.List ? f.LastUpdateStatusReason : view == ConfigurationView.Update ? "The function is being created." : null,
            LastUpdateStatusReasonCode = f.LastUpdateStatus is not null && view != ConfigurationView.List ? f.LastUpdateStatusReasonCode : view == ConfigurationView.Update ? "Creating" : null,
            PackageType = f.PackageType,
            ImageConfigResponse = f.ImageConfig is { } image
                ? new ImageConfigResponseDto(new ImageConfigDto { EntryPoint = image.EntryPoint?.ToList(), Command = image.Command?.ToList(), WorkingDirectory = image.WorkingDirectory })
                : null,
            Architectures = [f.Architecture],
            EphemeralStorage = new EphemeralStorageDto(f.EphemeralStorageSize),
            SnapStart = new SnapStartResponseDto(f.SnapStartApplyOn, f.SnapStartOn ? "On" : "Off"),
            VpcConfig = f.Vpc is { } vpc ? new VpcConfigResponseDto(vpc.SubnetIds, vpc.SecurityGroupIds, vpc.VpcId, vpc.Ipv6AllowedForDualStack) : null,
            FileSystemConfigs = f.FileSystems.Count > 0 ? [.. f.FileSystems.Select(fs => new FileSystemConfigDto(fs.Arn, fs.LocalMountPath))] : null,
            RuntimeVersionConfig = view == ConfigurationView.List || f.IsImage ? null : new RuntimeVersionConfigDto(runtimeArn),
            LoggingConfig = new LoggingConfigDto
            {
                LogFormat = f.LogFormat,
                ApplicationLogLevel = f.LogFormat == "JSON" ? f.ApplicationLogLevel ?? "INFO" : null,
                SystemLogLevel = f.LogFormat == "JSON" ? f.SystemLogLevel ?? "INFO" : null,
                LogGroup = f.LogGroup,
            },
            Layers = f.Layers.Count == 0 ? null : [.. f.Layers.Select(l => new LayerDto(l.Arn, l.CodeSize))],
            SigningProfileVersionArn = f.SigningProfileVersionArn,
            SigningJobArn = f.SigningJobArn,
        };
    }

    /// <summary>Lambda's string timestamps: <c>2020-04-10T19:06:32.563+0000</c>.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);
}
