// Birth–death (Wasserstein–Fisher–Rao) against pure transport on Gaussian features fitting three bumps: the same flow
// time, from a poor start; birth–death reaches a lower energy (specs/particles.md §7).
//
//   dotnet run --project samples/BirthDeath -c Release [-- --steps 1000 --threads 2 --out DIR --seed 5]
return BirthDeathSample.BirthDeathApp.Run(args, Console.Out, Console.Error);
