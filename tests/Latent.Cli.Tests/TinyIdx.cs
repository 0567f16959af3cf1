using System.Buffers.Binary;

namespace Latent.Cli.Tests;

/// <summary>
/// Writes tiny labelled image sets as IDX files byte by byte, as LeCun's format lays them out (a big-endian header,
/// then one unsigned byte per pixel or label): image i is of class i mod K and shows a bright bar at a row set by its class.
/// </summary>
internal static class TinyIdx
{
    /// <summary>Writes <c>NAME-images</c> and <c>NAME-labels</c> in <paramref name="folder"/>; returns their paths.</summary>
    public static (string Images, string Labels) Write(string folder, string name, int count, int classes, int side)
    {
        var images = new byte[16 + count * side * side];
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(0), 2051);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), side);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), side);
        var labels = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(0), 2049);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), count);
        for (int i = 0; i < count; i++)
        {
            int label = i % classes;
            labels[8 + i] = (byte)label;
            int row = 1 + label * (side - 3) / Math.Max(1, classes - 1);
            int start = i % 3, end = side - (i / 3) % 3;
            for (int r = row; r < row + 2; r++)
            {
                for (int c = start; c < end; c++)
                    images[16 + (i * side + r) * side + c] = 255;
            }
        }
        string imagesPath = Path.Combine(folder, name + "-images");
        string labelsPath = Path.Combine(folder, name + "-labels");
        File.WriteAllBytes(imagesPath, images);
        File.WriteAllBytes(labelsPath, labels);
        return (imagesPath, labelsPath);
    }

    /// <summary>
    /// A recipe file training on <paramref name="train"/> and <paramref name="test"/>: <paramref name="family"/> is
    /// <c>vae</c> (MLP, Bernoulli decoder) or <c>cgan</c> (conditional MLP GAN), both tiny.
    /// </summary>
    public static string Recipe(string family, (string Images, string Labels) train, (string Images, string Labels)? test, int classes, int? imageSize = null)
    {
        string data = $"\"kind\": \"idx\", \"train_images\": \"{train.Images}\", \"train_labels\": \"{train.Labels}\", \"classes\": {classes}" +
                      (test is { } t ? $", \"test_images\": \"{t.Images}\", \"test_labels\": \"{t.Labels}\"" : "") +
                      (imageSize is { } size ? $", \"image_size\": {size}" : "");
        string model = family switch
        {
            "vae" => """
                "family": "vae",
                "vae": { "latent_dim": 4, "loss": "bce-sum", "encoder": { "hidden": [32] }, "decoder": { "hidden": [32], "output_activation": "sigmoid" } }
                """,
            "cgan" => """
                "family": "gan",
                "gan": {
                  "latent_dim": 4, "conditional": true, "label_embedding": 3, "discriminator_label_embedding": 8,
                  "generator": { "hidden": [16], "output_activation": "tanh" },
                  "discriminator": { "hidden": [16], "activation": "leaky-relu" }
                }
                """,
            "dcgan" => """
                "family": "gan",
                "gan": {
                  "latent_dim": 4,
                  "generator": { "kind": "dcgan", "width": 4, "batch_norm": true, "output_activation": "tanh" },
                  "discriminator": { "kind": "dcgan", "width": 4, "activation": "leaky-relu" }
                }
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(family), family, "expected vae, cgan or dcgan"),
        };
        return $$"""
            {
              "batch_size": 10,
              "seed": 1,
              "evaluation": { "samples": 200 },
              "data": { {{data}} },
              {{model}}
            }
            """;
    }
}
