#version 330 core
// One instance is one quad given by four corners in strip order (a b c d), in window pixels.
// Rectangles, ribbons between two spans and arrow heads (d == b) are all such quads.
layout(location = 0) in vec4 a_ab;
layout(location = 1) in vec4 a_cd;
layout(location = 2) in vec4 a_color;

uniform vec2 u_windowSize; // window pixels; y grows downwards

out vec4 v_color;

void main() {
    vec2 p;
    if (gl_VertexID == 0)
        p = a_ab.xy;
    else if (gl_VertexID == 1)
        p = a_ab.zw;
    else if (gl_VertexID == 2)
        p = a_cd.xy;
    else
        p = a_cd.zw;
    vec2 ndc = vec2(p.x / u_windowSize.x * 2.0 - 1.0, 1.0 - p.y / u_windowSize.y * 2.0);
    gl_Position = vec4(ndc, 0.0, 1.0);
    v_color = a_color;
}
