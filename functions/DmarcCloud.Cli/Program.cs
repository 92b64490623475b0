using DmarcCloud.Cli;

return await CliApp.RunAsync(args, Console.Out, Console.Error, handleTermination: true).ConfigureAwait(false);
