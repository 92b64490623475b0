Console.Error.WriteLine("dmarccloud-localhost: not implemented yet");
return 2;
