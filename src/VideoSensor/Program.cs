using VideoSensor.Hosting;
using VideoSensor.Hosting.Cli;
using VideoSensor.Hosting.Configuration;

var command = CommandLine.Parse(args);
try
{
    return command.Command switch
    {
        "token" => await CliCommands.TokenAsync(command, Console.Out, Console.Error),
        "check-config" => await CliCommands.CheckConfigAsync(command, Console.Out, Console.Error),
        "run" => await SensorProgram.RunAsync(command),
        "help" or "--help" => await SensorProgram.UsageAsync(Console.Out, 0),
        _ => await SensorProgram.UsageAsync(Console.Error, 2),
    };
}
catch (ConfigException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}
