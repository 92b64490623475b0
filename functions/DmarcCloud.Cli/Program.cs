Console.Error.WriteLine("dmarccloud: no command given");
return 2;
