using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using NeuralStyle.Imaging;
using NeuralStyle.Jobs;
using NeuralStyle.Transfer;

namespace NeuralStyle.Web;

/// <summary>
/// What a web view knows of one run, built from its <see cref="JobEvent"/>s on the job's thread and read by the
/// server's threads: the state a new page starts from (<see cref="Subscribe"/>), the events pushed to open pages, and
/// the latest picture.
/// </summary>
/// <remarks>
/// The job's thread only copies references and writes small JSON strings to channels; the picture is encoded to PNG
/// on the thread of the request that asks for it, once per picture, so that watching costs the optimisation little.
/// </remarks>
internal sealed class LiveRun
{
    // Progress lines are throttled: a small image can take 20 iterations a second, a page needs far fewer updates.
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

    // A page that stops reading loses its oldest events rather than growing the server's memory.
    private const int SubscriberBuffer = 4096;

    private readonly Lock _gate = new();
    private readonly List<Channel<ServerEvent>> _subscribers = [];
    private readonly LossHistory _losses = new();
    private readonly Stopwatch _sinceProgress = new();
    private JsonElement _options;
    private Progress _progress = new(1, 1, 0, 0, 0, 0, 0, null, null);
    private IReadOnlyList<ScaleStep> _plan = [];
    private (int Iteration, TimeSpan Elapsed)? _scaleStart;
    private Picture? _picture;
    private byte[]? _png;
    private int _pngVersion;
    private Status _status = new("running", null, null, null);
    private bool _complete;
    private int _watchersAtEnd;
    private int _servedVersion;

    public LiveRun(string optionsJson, string stopToken)
    {
        _options = JsonDocument.Parse(optionsJson).RootElement.Clone();
        StopToken = stopToken;
    }

    /// <summary>What a stop request must carry (see <see cref="LiveView"/>).</summary>
    public string StopToken { get; }

    /// <summary>True once the run has ended and every page was told.</summary>
    public bool IsComplete
    {
        get
        {
            lock (_gate)
            {
                return _complete;
            }
        }
    }

    /// <summary>Takes one event of the job, on the job's thread.</summary>
    public void Observe(JobEvent e)
    {
        _losses.Observe(e);
        switch (e)
        {
            case JobStarted { Resolved: StyleJobSpec resolved }:
                ServerEvent options;
                lock (_gate)
                {
                    _options = JsonDocument.Parse(resolved.ToJson()).RootElement.Clone();
                    options = ServerEvent.Of("options", _options);
                }

                Publish(options);
                break;
            case ScalesPlanned planned:
                lock (_gate)
                {
                    _plan = planned.Scales;
                }

                break;
            case ScaleStarted s:
                lock (_gate)
                {
                    _scaleStart = null;
                }

                Publish(UpdateProgress(p => p with { Scale = s.Scale, Scales = s.Scales, Width = s.Width, Height = s.Height, Iteration = 0, Total = s.Iterations, Elapsed = 0, Eta = null, RunEta = null }, force: true));
                break;
            case EngineProgress { Event: IterationStarted i }:
                Publish(UpdateProgress(p => WithEstimates(p, i), force: i.Iteration == 1));
                break;
            case EngineProgress { Event: IterationLosses } when _losses.Latest is LossPoint point:
                Publish(ServerEvent.Of("loss", LossRow(point)));
                break;
            case EngineProgress { Event: PreviewImage preview }:
                Publish(NewPicture(preview.Image, "preview", preview.Iteration));
                break;
            case PictureProduced produced:
                Publish(NewPicture(produced.Picture, produced.IsFinal ? "final" : "checkpoint", produced.CheckpointIteration is int c ? c + 1 : CurrentIteration()));
                break;
            case JobFinished finished:
                string state = finished.Stopped ? "stopped" : "finished";
                string message = finished.Stopped
                    ? $"stopped after iteration {finished.StoppedAfter}; the best picture is written and the run can be resumed"
                    : "finished";
                End(new Status(state, message, finished.Output, finished.Manifest));
                break;
            case JobFailed failed:
                End(new Status(failed.Error is OperationCanceledException ? "cancelled" : "failed", failed.Reason, null, null));
                break;
        }
    }

    /// <summary>The losses so far as <c>--plot</c> draws them (PNG), drawn now; the job's thread is not involved.</summary>
    public byte[] PlotPng() => Plotting.LossPlot.RenderPng(_losses.Snapshot(), _losses.Scales);

    /// <summary>Marks a stop as asked for (the run ends after the iteration under way).</summary>
    public void Stopping()
    {
        Status status;
        lock (_gate)
        {
            if (_status.State != "running")
            {
                return;
            }

            status = _status = _status with { State = "stopping", Message = "stopping after the iteration under way" };
        }

        Publish(ServerEvent.Of("status", status));
    }

    /// <summary>The state a page starts from, and the channel of what happens next (completed when the run has ended).</summary>
    public (ServerEvent Snapshot, ChannelReader<ServerEvent> Events) Subscribe()
    {
        var channel = Channel.CreateBounded<ServerEvent>(new BoundedChannelOptions(SubscriberBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            ServerEvent snapshot = ServerEvent.Of("state", new
            {
                options = _options,
                progress = _progress,
                picture = _picture?.Describe(),
                status = _status,
                losses = _losses.Snapshot().Select(LossRow),
            });
            if (_complete)
            {
                channel.Writer.Complete();
            }
            else
            {
                _subscribers.Add(channel);
            }

            return (snapshot, channel.Reader);
        }
    }

    /// <summary>Forgets a page that went away.</summary>
    public void Unsubscribe(ChannelReader<ServerEvent> events)
    {
        lock (_gate)
        {
            _subscribers.RemoveAll(c => c.Reader == events);
        }
    }

    /// <summary>
    /// The latest picture as PNG and its version, or null before the first; encoded once per picture.
    /// <paramref name="asked"/> is the version the page asks for (it may be older: the latest is what is sent), and
    /// counts as fetched.
    /// </summary>
    public (byte[] Png, int Version)? LatestPng(int? asked = null)
    {
        Picture? picture;
        lock (_gate)
        {
            picture = _picture;
            if (picture is null)
            {
                return null;
            }

            _servedVersion = Math.Max(_servedVersion, Math.Min(asked ?? picture.Version, picture.Version));
            if (_png is not null && _pngVersion == picture.Version)
            {
                return (_png, _pngVersion);
            }
        }

        byte[] png = ImageWriter.EncodePng(picture.Image);
        lock (_gate)
        {
            if (_pngVersion < picture.Version)
            {
                _png = png;
                _pngVersion = picture.Version;
            }
        }

        return (png, picture.Version);
    }

    /// <summary>
    /// After the run's end, waits (at most <paramref name="timeout"/>) until the pages that watched it have fetched its
    /// last picture: they are told of it just before the end, and would otherwise find the server gone.
    /// </summary>
    public async Task LetPagesFetchTheLastPictureAsync(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_gate)
            {
                if (!_complete || _watchersAtEnd == 0 || _picture is null || _servedVersion >= _picture.Version)
                {
                    return;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
        }
    }

    private static object LossRow(LossPoint p) => new[] { p.Scale, p.Iteration, p.Seconds, p.Content, p.Style, p.TotalVariation, p.Total };

    private int CurrentIteration()
    {
        lock (_gate)
        {
            return _progress.Iteration;
        }
    }

    // The scale's remaining time from its own pace (counted from the first iteration this process ran: a resumed run's
    // earlier iterations took no time here), and the run's: the later scales' iterations at the same pace per pixel.
    // Called under the lock.
    private Progress WithEstimates(Progress p, IterationStarted i)
    {
        _scaleStart ??= (i.Iteration, i.Elapsed);
        int done = i.Iteration - _scaleStart.Value.Iteration;
        double? perIteration = done == 0 ? null : (i.Elapsed - _scaleStart.Value.Elapsed).TotalSeconds / done;
        double? eta = perIteration * (i.Total - i.Iteration + 1);
        double? runEta = eta;
        if (perIteration is double pace && p.Scale <= _plan.Count)
        {
            ScaleStep current = _plan[p.Scale - 1];
            double pixels = (double)current.Width * current.Height;
            runEta += _plan.Skip(p.Scale).Sum(next => pace * next.Iterations * (next.Width * (double)next.Height / pixels));
        }

        return p with { Iteration = i.Iteration, Total = i.Total, Elapsed = i.Elapsed.TotalSeconds, Eta = eta, RunEta = runEta };
    }

    private ServerEvent? UpdateProgress(Func<Progress, Progress> change, bool force)
    {
        lock (_gate)
        {
            _progress = change(_progress);
            if (!force && _sinceProgress.IsRunning && _sinceProgress.Elapsed < ProgressInterval)
            {
                return null;
            }

            _sinceProgress.Restart();
            return ServerEvent.Of("progress", _progress);
        }
    }

    private ServerEvent NewPicture(RgbImage image, string kind, int iteration)
    {
        lock (_gate)
        {
            _picture = new Picture((_picture?.Version ?? 0) + 1, kind, _progress.Scale, iteration, image);
            return ServerEvent.Of("picture", _picture.Describe());
        }
    }

    private void End(Status status)
    {
        Channel<ServerEvent>[] subscribers;
        lock (_gate)
        {
            _status = status;
            _complete = true;
            _watchersAtEnd = _subscribers.Count;
            subscribers = [.. _subscribers];
            _subscribers.Clear();
        }

        ServerEvent final = ServerEvent.Of("status", status);
        foreach (Channel<ServerEvent> channel in subscribers)
        {
            channel.Writer.TryWrite(final);
            channel.Writer.TryComplete();
        }
    }

    private void Publish(ServerEvent? e)
    {
        if (e is null)
        {
            return;
        }

        lock (_gate)
        {
            foreach (Channel<ServerEvent> channel in _subscribers)
            {
                channel.Writer.TryWrite(e);
            }
        }
    }

    /// <summary>Where the run is: scale, size, iteration of the scale, seconds in the scale, and the seconds left in the scale and in the whole run (estimates).</summary>
    internal sealed record Progress(int Scale, int Scales, int Width, int Height, int Iteration, int Total, double Elapsed, double? Eta, double? RunEta);

    /// <summary>The run's state: running, stopping, finished, stopped, failed or cancelled; what to say; its files.</summary>
    internal sealed record Status(string State, string? Message, string? Output, string? Manifest);

    private sealed record Picture(int Version, string Kind, int Scale, int Iteration, RgbImage Image)
    {
        public object Describe() => new { version = Version, kind = Kind, scale = Scale, iteration = Iteration, width = Image.Width, height = Image.Height };
    }
}
