/**
 * NVDEC (cuvid) decoding into device memory: {@link org.videoforge.codec.nvdec.NvDecoder}, the GPU
 * twin of the CPU {@link org.videoforge.codec.VideoDecoder}, and
 * {@link org.videoforge.codec.nvdec.NvdecCapabilities}, which says whether a probed input can use
 * it. FFmpeg demuxes and rewrites packets to Annex B ({@code AnnexBDemuxer}); NVDEC's parser calls
 * back synchronously into {@code CuvidSession}, which owns the parser and its {@code CuvidDecoder}
 * and copies each displayed surface into a pool lease. Everything here loads lazily and reports
 * DEVICE_UNAVAILABLE (never a link error) on machines without an NVIDIA driver.
 */
package org.videoforge.codec.nvdec;
