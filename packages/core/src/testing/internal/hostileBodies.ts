import { gzipSync } from "node:zlib"

const memberSize = 16 * 1024 * 1024
const members = 256

let bomb: Buffer | undefined

/**
 * About 4 MB of gzip that inflates to 4 GiB of zeros: 256 gzip members of 16 MiB each, one after the
 * other (gunzip reads on past the end of a member). Made once, on first use.
 */
export const gzipBomb = (): Buffer => {
  bomb ??= Buffer.concat(Array.from({ length: members }, () => member()))
  return bomb
}

let compressedMember: Buffer | undefined
const member = () => {
  compressedMember ??= gzipSync(Buffer.alloc(memberSize), { level: 9 })
  return compressedMember
}

/** A JSON value nested `depth` deep: `[[[…]]]`. */
export const deeplyNested = (depth: number): Buffer => Buffer.from("[".repeat(depth) + "]".repeat(depth))

/** Bytes that are not UTF-8 (a stray continuation byte, a truncated sequence, an overlong form, 0xFF). */
const notUtf8 = Buffer.from([0xff, 0xfe, 0x80, 0xc3, 0x28, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0xc0, 0xaf])

/** `body` with invalid UTF-8 before it and in its middle. */
export const invalidUtf8 = (body: Buffer): Buffer => {
  const middle = Math.floor(body.byteLength / 2)
  return Buffer.concat([notUtf8, body.subarray(0, middle), notUtf8, body.subarray(middle)])
}
