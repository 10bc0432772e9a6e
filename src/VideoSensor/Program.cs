using VideoSensor.Hosting.Cli;

return await SensorCli.InvokeAsync(args, Console.Out, Console.Error);
