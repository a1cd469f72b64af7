// The labextension build (and jest's raw loader) import .svg files from code as their source text.
declare module '*.svg' {
  const svgstr: string;
  export default svgstr;
}
