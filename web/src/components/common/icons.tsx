// Inline SVG icons for the tile buttons: glyphs such as 🔇 or ⛶ are missing from many wall PCs' fonts.
const common = { width: 14, height: 14, viewBox: '0 0 16 16', fill: 'none', stroke: 'currentColor', strokeWidth: 1.6, 'aria-hidden': true } as const;

export const FlagIcon = () => (
  <svg {...common}>
    <path d="M3 15V2M3 2.5h8.5l-2 3 2 3H3" strokeLinejoin="round" />
  </svg>
);

export const SpeakerIcon = ({ muted }: { muted: boolean }) => (
  <svg {...common}>
    <path d="M2 6h3l4-3v10L5 10H2z" strokeLinejoin="round" />
    {muted ? <path d="M11 6l4 4M15 6l-4 4" /> : <path d="M11.5 5.5a3.5 3.5 0 0 1 0 5M13.5 3.5a6 6 0 0 1 0 9" />}
  </svg>
);

export const FullscreenIcon = ({ exit }: { exit: boolean }) => (
  <svg {...common}>
    {exit ? <path d="M6 2v4H2M10 2v4h4M6 14v-4H2M10 14v-4h4" /> : <path d="M2 6V2h4M14 6V2h-4M2 10v4h4M14 10v4h-4" />}
  </svg>
);
