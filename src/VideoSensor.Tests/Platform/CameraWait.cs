using VideoSensor.Cameras;

namespace VideoSensor.Tests.Platform;

/// <summary>Waits on the registry's Changed event (no polling) until a camera matches.</summary>
internal static class CameraWait
{
    public static async Task<Camera?> UntilAsync(CameraRegistry registry, string id, Func<Camera?, bool> condition, CancellationToken cancellationToken)
    {
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(CameraChange c)
        {
            if (c.Camera.Id == id)
            {
                changed.TrySetResult();
            }
        }

        while (true)
        {
            registry.Changed += OnChanged;
            try
            {
                var current = registry.TryGet(id, out var camera) ? camera : null;
                if (condition(current))
                {
                    return current;
                }

                await changed.Task.WaitAsync(cancellationToken);
                changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            finally
            {
                registry.Changed -= OnChanged;
            }
        }
    }
}
