/** Pixel size of a JPEG or PNG in memory: core's reader (the instant Snapshot's client side uses it too). */
export { imageInfo, isJpeg, isPng, type ImageInfo } from '@node-red-tencent-ci/core';
