// Generates the app icons from build/icons/icon.svg: PNGs for Linux (and the
// window icon), icon.icns for macOS and icon.ico for Windows. The outputs are
// committed, so packaging needs no image tools; run `node scripts/icons.mjs`
// after changing the SVG.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';

const dir = 'build/icons';
const svg = readFileSync(`${dir}/icon.svg`);
const render = (size) => new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();

mkdirSync(dir, { recursive: true });
const master = render(1024);
writeFileSync(`${dir}/icon.png`, master);
// electron-builder takes Linux icons from a folder of <size>x<size>.png files.
for (const size of [16, 32, 48, 64, 128, 256, 512]) writeFileSync(`${dir}/${size}x${size}.png`, render(size));
const icns = png2icons.createICNS(master, png2icons.BICUBIC, 0);
const ico = png2icons.createICO(master, png2icons.BICUBIC, 0, false, true);
if (!icns || !ico) throw new Error('png2icons could not convert the icon');
writeFileSync(`${dir}/icon.icns`, icns);
writeFileSync(`${dir}/icon.ico`, ico);
process.stdout.write(`icons written to ${dir}/\n`);
