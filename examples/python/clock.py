import sys
import time

every = float(sys.argv[sys.argv.index("--every") + 1]) if "--every" in sys.argv else 1.0
while True:
    print(f"py-clock: {time.strftime('%H:%M:%S')}")
    time.sleep(every)
