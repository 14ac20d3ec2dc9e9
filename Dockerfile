# Xianfeng in a container: one server process on PostgreSQL (DATABASE_URL), files in /data.
# Not built or run by the test suite (no Docker daemon on the development machines): keep it minimal.
# docs/operations.md "Docker" says how to use it; compose.yaml runs it beside PostgreSQL.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/shared/package.json packages/shared/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY e2e/package.json e2e/
COPY tools/package.json tools/
RUN npm ci --no-audit --no-fund
COPY . .
# The server runs its TypeScript through tsx (a dev dependency), so dev dependencies stay.
RUN npm run build -w apps/web

FROM node:20-bookworm-slim
# fonts-noto-cjk: the Chinese text of generated PDFs (certificates, meeting records); ffmpeg: phone renditions of
# course videos (optional — without it the original file is served); postgresql-client: pg_dump and pg_restore for
# `npm run backup` / `npm run restore` (bookworm's are version 15, like compose.yaml's database).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk ffmpeg tini postgresql-client \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 XF_DATA_DIR=/data XF_DEMO=0
RUN mkdir /data && chown node:node /data
VOLUME /data
EXPOSE 3000
USER node
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "tsx", "apps/server/src/main.ts"]
