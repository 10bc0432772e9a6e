namespace VideoSensor.Configuration;

/// <summary>A configuration problem, worded for the person who wrote the file.</summary>
internal sealed class ConfigException(string message) : Exception(message);
