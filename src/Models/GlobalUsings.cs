global using static MeanField.Channels;
