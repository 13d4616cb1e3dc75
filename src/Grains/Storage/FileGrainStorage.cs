using System.Globalization;
using Orleans.Runtime;
using Orleans.Storage;

namespace LambdaCluster.Grains.Storage;

/// <summary>
/// Grain state as one file per grain under a folder (the embedded default's storage). A file holds an
/// 8-byte version (the ETag) and the serialized state; writes go to a temporary file that is renamed
/// over the old one, so a crash leaves either the old state or the new one, never a torn file.
/// </summary>
public sealed class FileGrainStorage(string root, IGrainStorageSerializer serializer) : IGrainStorage
{
    private readonly string _root = Directory.CreateDirectory(root).FullName;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathFor(stateName, grainId);
        if (!File.Exists(path))
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        var bytes = await File.ReadAllBytesAsync(path);
        grainState.ETag = BitConverter.ToInt64(bytes, 0).ToString(CultureInfo.InvariantCulture);
        grainState.State = serializer.Deserialize<T>(BinaryData.FromBytes(bytes.AsMemory(8)));
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathFor(stateName, grainId);
        var stored = await StoredVersionAsync(path);
        if (stored?.ToString(CultureInfo.InvariantCulture) != grainState.ETag)
        {
            throw new InconsistentStateException($"Version mismatch writing {stateName} of {grainId}: stored {stored}, expected {grainState.ETag}.");
        }

        var next = (stored ?? 0) + 1;
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await using (var file = File.Create(temporary))
        {
            await file.WriteAsync(BitConverter.GetBytes(next));
            await file.WriteAsync(serializer.Serialize(grainState.State).ToMemory());
            await file.FlushAsync();
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        grainState.ETag = next.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        File.Delete(PathFor(stateName, grainId));
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }

    private string PathFor(string stateName, GrainId grainId) =>
        Path.Combine(_root, Uri.EscapeDataString($"{stateName}-{grainId}") + ".bin");

    private static async Task<long?> StoredVersionAsync(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        await using var file = File.OpenRead(path);
        var prefix = new byte[8];
        await file.ReadExactlyAsync(prefix);
        return BitConverter.ToInt64(prefix, 0);
    }
}
