namespace MeanField.Threading;

/// <summary>A unit of work split into numbered tiles that may run on any worker in any order.</summary>
internal interface ITileWork
{
    /// <summary>Processes tile <paramref name="tile"/> using worker <paramref name="worker"/>'s scratch buffers.</summary>
    /// <param name="tile">0 ≤ tile &lt; the tile count given to <see cref="TileWorkerPool.Run"/>.</param>
    /// <param name="worker">0 ≤ worker &lt; <see cref="TileWorkerPool.ThreadCount"/>; no two tiles run at once on one worker index.</param>
    void Execute(int tile, int worker);
}
