// The code Lambda's console creates for a new function ("Author from scratch"), per runtime family.

const node = `export const handler = async (event) => {
  // TODO implement
  const response = {
    statusCode: 200,
    body: JSON.stringify('Hello from Lambda!'),
  };
  return response;
};
`;

const python = `import json

def lambda_handler(event, context):
    # TODO implement
    return {
        'statusCode': 200,
        'body': json.dumps('Hello from Lambda!')
    }
`;

// Lambda's custom-runtime tutorial: a bash bootstrap that talks to the Runtime API with curl, and the handler script.
const bootstrap = `#!/bin/bash
set -euo pipefail

# Initialization - load function handler
source $LAMBDA_TASK_ROOT/"$(echo $_HANDLER | cut -d. -f1).sh"

# Processing
while true
do
  HEADERS="$(mktemp)"
  # Get an event. The HTTP request will block until one is received
  EVENT_DATA=$(curl -sS -LD "$HEADERS" "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")

  # Extract request ID by scraping response headers received above
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)

  # Run the handler function from the script
  RESPONSE=$($(echo "$_HANDLER" | cut -d. -f2) "$EVENT_DATA")

  # Send the response
  curl -sS "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response" -d "$RESPONSE"
done
`;

const functionSh = `function handler () {
  EVENT_DATA=$1
  echo "$EVENT_DATA" 1>&2;
  RESPONSE="Hello from Lambda!"

  echo $RESPONSE
}
`;

/** { handler, files: { path: { text, executable? } } } for a runtime identifier (new files: no bytes yet). */
export function helloWorld(runtime) {
  if (runtime.startsWith('nodejs')) return { handler: 'index.handler', files: { 'index.mjs': { text: node } } };
  if (runtime.startsWith('python')) return { handler: 'lambda_function.lambda_handler', files: { 'lambda_function.py': { text: python } } };
  return { handler: 'function.handler', files: { bootstrap: { text: bootstrap, executable: true }, 'function.sh': { text: functionSh } } };
}

/** Lambda's console names: "Node.js 22.x", "Python 3.13", "Amazon Linux 2023". */
export function runtimeLabel(runtime) {
  const node = /^nodejs(\d+)\.x$/.exec(runtime);
  if (node) return `Node.js ${node[1]}.x`;
  const py = /^python(\d+\.\d+)$/.exec(runtime);
  if (py) return `Python ${py[1]}`;
  if (runtime === 'provided.al2023') return 'Amazon Linux 2023';
  if (runtime === 'provided.al2') return 'Amazon Linux 2';
  return runtime;
}
