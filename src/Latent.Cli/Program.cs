Console.WriteLine("latent");
