"""Stream records per second end to end, with boto3 against one node (run by queue-bench.sh):
    python3 stream-throughput.py <endpoint> <records> <shards>
Puts the records into a new stream (PutRecords, 500 at a time, partition keys spread over the shards), then creates a
TRIM_HORIZON mapping (BatchSize 100) to the function "stream-sink", which logs "got <n>" per batch, and times from the
mapping's creation until every record was handed to the function."""
import sys, time, uuid
import boto3

endpoint, total, shards = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
kinesis = session.client("kinesis", endpoint_url=endpoint)
lam = session.client("lambda", endpoint_url=endpoint)
logs = session.client("logs", endpoint_url=endpoint)
stream = f"bench-{uuid.uuid4().hex[:8]}"
kinesis.create_stream(StreamName=stream, ShardCount=shards)
for start in range(0, total, 500):
    kinesis.put_records(StreamName=stream, Records=[{"Data": b"x" * 100, "PartitionKey": f"k{i}"} for i in range(start, min(total, start + 500))])

started_ms = int(time.time() * 1000)
begun = time.perf_counter()
lam.create_event_source_mapping(FunctionName="stream-sink", EventSourceArn=f"arn:aws:kinesis:us-east-1:000000000000:stream/{stream}",
                                StartingPosition="TRIM_HORIZON", BatchSize=100)
seen = 0
while seen < total and time.perf_counter() - begun < 300:
    time.sleep(0.2)
    seen, token = 0, None
    while True:
        page = logs.filter_log_events(logGroupName="/aws/lambda/stream-sink", filterPattern="got", startTime=started_ms, **({"nextToken": token} if token else {}))
        seen += sum(int(e["message"].split()[-1]) for e in page["events"] if "\tgot " in e["message"])
        token = page.get("nextToken")
        if not token:
            break
elapsed = time.perf_counter() - begun
print(f"{total} records over {shards} shards delivered in {elapsed:.2f} s: {total / elapsed:.0f} records/s (batch size 100)")
