namespace ConsoleProxy.Reloading;

/// <summary>
/// One file as a reload check sees it: where its symlinks finally lead (the kubelet swaps a `..data` link to a new
/// folder when it renews a mounted Secret) and that file's timestamp and size (an in-place rewrite).
/// </summary>
internal readonly record struct FileVersion(string Path, DateTime Written, long Length)
{
    public static FileVersion Of(string path)
    {
        try
        {
            var link = new FileInfo(path);
            var file = link.LinkTarget is null ? link : link.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? link;
            return file.Exists ? new(file.FullName, file.LastWriteTimeUtc, file.Length) : new(file.FullName, default, -1);
        }
        catch (IOException)
        {
            // A link loop or a swap caught half-way: unreadable now, looked at again at the next check.
            return new(path, default, -2);
        }
    }
}
