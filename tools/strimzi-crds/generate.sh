#!/usr/bin/env bash
# Generates the KafkaTopic CRD of each Strimzi release the service tests install, from Strimzi's Java model
# (io.strimzi:api) with Strimzi's own io.strimzi.crdgenerator.CrdGenerator, invoked as Strimzi's build invokes it for
# its install files (api/pom.xml, execution generate-crd-co-install-v1-eo): the same labels, target Kubernetes,
# CRD API version, and the served and storage versions of the release.
#
#   <out>/<release>/043-Crd-kafkatopic.yaml
#
# crd-generator 0.49.0 is not published (Strimzi builds it in-tree); the published 1.2.0 that reads the 0.49.0 model
# is compiled for Java 21, so it runs in its own JVM: $STRIMZI_CRD_GENERATOR_JAVA, else the first Java 21 or newer
# among $JAVA_HOME, the PATH and /usr/lib/jvm (this project's machines have a Temurin JDK beside OpenJDK 17).
# Skipped when <out> was generated from the same classpath and script.
#
# Usage: tools/strimzi-crds/generate.sh <out> <classpath with io.strimzi:api and io.strimzi:crd-generator>
set -euo pipefail
out="$1"
classpath="$2"

key="$( { cat "$0"; echo "$classpath"; } | sha256sum | cut -c1-16)"
if [ -f "$out/.key" ] && [ "$(cat "$out/.key")" = "$key" ]; then
  echo "generate.sh: Strimzi KafkaTopic CRDs up to date in $out"
  exit 0
fi

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2 }' | cut -d. -f1
}
java=""
for candidate in ${STRIMZI_CRD_GENERATOR_JAVA:-} ${JAVA_HOME:+$JAVA_HOME/bin/java} $(command -v java || true) \
    /usr/lib/jvm/*/bin/java; do
  if [ -x "$candidate" ] && [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then
    java="$candidate"
    break
  fi
done
if [ -z "$java" ]; then
  echo "generate.sh: Strimzi's crd-generator needs Java 21 or newer and none was found; install one or set" \
    "STRIMZI_CRD_GENERATOR_JAVA to its java executable" >&2
  exit 1
fi

rm -rf "$out"
generate() { # <release> <served versions> <storage version>
  "$java" -cp "$classpath" io.strimzi.crdgenerator.CrdGenerator \
    --label app:strimzi --label strimzi.io/crd-install:true \
    --target-kube 1.16+ --crd-api-version v1 --api-versions "$2" --storage-version "$3" --yaml \
    "io.strimzi.api.kafka.model.topic.KafkaTopic=$out/$1/043-Crd-kafkatopic.yaml" 2>"$out.log" \
    || { cat "$out.log" >&2; exit 1; }
}
mkdir -p "$out"
# 0.40-0.45: v1beta2 (storage), v1beta1, v1alpha1 (../shared/docs/REFERENCE-OPERATORS.md). The 0.49 model marks
# every pre-v1 version deprecated ("Please use the v1 version instead"), which 0.45 could not say: it serves no v1, and
# kubectl and the API server would print that warning for every KafkaTopic. 0.45 had no deprecated KafkaTopic version.
generate 0.45.0 v1alpha1,v1beta1,v1beta2 v1beta2
sed -i -e '/^    deprecated: true$/d' -e '/^    deprecationWarning: /d' "$out/0.45.0/043-Crd-kafkatopic.yaml"
if grep -q 'deprecat' "$out/0.45.0/043-Crd-kafkatopic.yaml"; then
  echo "generate.sh: the 0.45.0 KafkaTopic CRD still marks a version deprecated" >&2
  exit 1
fi
# 0.49.0: exactly the arguments of its own build
generate 0.49.0 v1alpha1,v1beta1,v1beta2,v1 v1beta2
# 1.0.0 and later: v1 only
generate 1.0.0 v1 v1
rm -f "$out.log"
echo "$key" >"$out/.key"
echo "generate.sh: Strimzi KafkaTopic CRDs (0.45.0, 0.49.0, 1.0.0) generated in $out with $java"
