// The underlay image as the tiny network's input: drawn onto a canvas at the mask size, luminance in [0, 1].
export async function underlayGrey(url: string, width: number, height: number): Promise<Float32Array | null> {
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const g = canvas.getContext('2d');
    if (!g) return null;
    g.drawImage(img, 0, 0, width, height);
    const px = g.getImageData(0, 0, width, height).data;
    const out = new Float32Array(width * height);
    for (let i = 0; i < out.length; i++)
      out[i] = (0.2126 * px[4 * i]! + 0.7152 * px[4 * i + 1]! + 0.0722 * px[4 * i + 2]!) / 255;
    return out;
  } catch {
    return null; // an unreadable underlay: the network falls back to the rendered input
  }
}
