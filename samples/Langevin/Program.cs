// Mean-field Langevin on a model declared here (QuadraticAttraction.cs): the particles' law tends to a Gaussian Gibbs
// measure with a closed-form mean and variance (specs/particles.md §7).
//
//   dotnet run --project samples/Langevin -c Release [-- --steps 1600 --threads 2 --out DIR --seed 1]
return LangevinSample.LangevinApp.Run(args, Console.Out, Console.Error);
