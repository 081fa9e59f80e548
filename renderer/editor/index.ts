export { ArticleView, type ArticleViewCallbacks } from './view.js';
export { ArticleDocument } from './document.js';
export { overlapLevels, type PaintedAnnotation, type AnnotationLayer } from './annotations.js';
