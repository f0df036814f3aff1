#!/usr/bin/env bash
# Creates the Nx project skeleton (project.json, tsconfig.json, jest.config.js) of an app or lib.
# Usage: tools/new-project.sh <root> <name> <scope> <type>
set -euo pipefail
root=$1 name=$2 scope=$3 type=$4
up=$(python3 -c "import os;print(os.path.relpath('.', '$root'))")
mkdir -p "$root/src"
kind=library; case $type in app|e2e) kind=application;; esac
[ -f "$root/project.json" ] || cat > "$root/project.json" <<JSON
{
  "name": "$name",
  "\$schema": "$up/node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$root/src",
  "projectType": "$kind",
  "tags": ["scope:$scope", "type:$type"],
  "targets": { "lint": {}, "typecheck": {}, "test": {} }
}
JSON
[ -f "$root/tsconfig.json" ] || cat > "$root/tsconfig.json" <<JSON
{
  "extends": "$up/tsconfig.base.json",
  "compilerOptions": { "types": ["node", "jest"] },
  "include": ["src/**/*.ts"]
}
JSON
[ -f "$root/jest.config.js" ] || cat > "$root/jest.config.js" <<JS
module.exports = {
  ...require('$up/jest.preset.js'),
  displayName: '$name',
  rootDir: __dirname,
};
JS
