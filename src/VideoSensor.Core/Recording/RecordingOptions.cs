using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace VideoSensor.Recording;

/// <summary>The <c>recording:</c> section: how recorders cut, report and recover.</summary>
internal sealed class RecordingOptions
{
    public const string Section = "recording";

    /// <summary>Length of one segment file; a crash loses at most the fragment being written, never a segment.</summary>
    [ConfigurationKeyName("segment_seconds"), Range(2, 3600)] public int SegmentSeconds { get; set; } = 60;

    /// <summary>How often <c>recording.progress</c> is published while recording.</summary>
    [ConfigurationKeyName("progress_interval_seconds"), Range(1, 600)] public int ProgressIntervalSeconds { get; set; } = 5;

    /// <summary>How long <c>start_recording</c> waits for the first bytes before it gives up.</summary>
    [ConfigurationKeyName("start_timeout_seconds"), Range(1, 120)] public int StartTimeoutSeconds { get; set; } = 15;

    /// <summary>The longest wait between restarts of a recorder that keeps failing (back-off doubles up to this).</summary>
    [ConfigurationKeyName("restart_max_backoff_seconds"), Range(1, 300)] public int RestartMaxBackoffSeconds { get; set; } = 5;

    /// <summary>How long a stopping recorder may take to finish its segment after SIGINT before it is killed.</summary>
    [ConfigurationKeyName("stop_timeout_seconds"), Range(1, 120)] public int StopTimeoutSeconds { get; set; } = 8;

    /// <summary>Keep the latest key frame of a recording camera as JPEG, so snapshots need no RTSP connect.</summary>
    [ConfigurationKeyName("latest_frame"), Required] public bool LatestFrame { get; set; } = true;

    /// <summary>
    /// Stamp RTSP packets with the arrival time instead of the camera's RTP time. For sources whose timestamps
    /// jump (a camera that restarts its clock, a server that re-bases shared media when another client joins),
    /// which would otherwise stall segment cutting; costs some timing precision on jittery networks.
    /// </summary>
    [ConfigurationKeyName("wallclock_timestamps")] public bool WallclockTimestamps { get; set; }

    /// <summary>Format used when start_recording names none: fmp4, mp4 or mkv.</summary>
    [ConfigurationKeyName("default_format"), RegularExpression("^(fmp4|mp4|mkv)$", ErrorMessage = "must be fmp4, mp4 or mkv")]
    public string DefaultFormat { get; set; } = "fmp4";
}
