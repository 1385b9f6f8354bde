import type { NextConfig } from "next";

const config: NextConfig = {
  // The tests build into target/ (NEXTJS_DIST_DIR, relative to this directory) and start
  // `next start` with the same value; by hand, the default `.next`.
  distDir: process.env.NEXTJS_DIST_DIR ?? ".next",
  poweredByHeader: false,
};

export default config;
