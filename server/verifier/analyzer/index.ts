export { type AnalyzeOptions, AnalyzerError, type FaceAnalyzer, type FaceObservation, type FrameAnalysis, type RgbFrame } from './face-analyzer.js';
export { createHumanAnalyzer, type HumanAnalyzer, type HumanAnalyzerOptions } from './human-analyzer.js';
