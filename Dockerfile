# Command-line image. Node 20 is past end of life: the image runs a supported
# LTS. Build stage compiles the tree-sitter addon (no prebuild matches
# Debian's libstdc++), runtime stage carries production dependencies only.
FROM node:24-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ git && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY rules ./rules
COPY scripts ./scripts
COPY bin ./bin
# Same steps as CI: npm ci runs `prepare`, which builds dist/.
RUN npm ci && npm prune --omit=dev

FROM node:24-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
COPY bin ./bin
COPY rules/*.md ./rules/
USER node
HEALTHCHECK CMD ["node", "bin/patchwarden.js", "--version"]
ENTRYPOINT ["node", "/app/bin/patchwarden.js"]
CMD ["--help"]
