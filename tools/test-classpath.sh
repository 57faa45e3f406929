# Sourced from the project root by tools/bench/forward, tools/bench/probe and tools/keras-reference/fuzz, with the script's arguments.
# Compiles the tests and sets:
#   classpath  target/test-classes, target/classes and every test-scope jar, for the native build chosen by
#              ND4J_EXTENSION or an argument -Dnd4j.extension=EXT (the pom's nd4j.extension; default -onednn-avx2;
#              -Djavacpp.platform.extension=EXT is read the same way)
#   args       the other arguments
maven_args=()
[ -n "${ND4J_EXTENSION+set}" ] && maven_args+=("-Dnd4j.extension=${ND4J_EXTENSION}")
args=()
for arg in "$@"; do
  case "$arg" in
    -Dnd4j.extension=*|-Djavacpp.platform.extension=*) maven_args+=("-Dnd4j.extension=${arg#*=}") ;;
    *) args+=("$arg") ;;
  esac
done
mvn -B -q "${maven_args[@]}" test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath
classpath="target/test-classes:target/classes:$(cat target/bench.classpath)"
