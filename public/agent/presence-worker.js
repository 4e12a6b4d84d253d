// The heartbeat's clock. Chrome throttles timers of a page hidden for five minutes to one wake-up
// a minute, which would let an agent with the console in a background tab drop offline between
// two heartbeats; a dedicated worker's timers are not throttled that way.
setInterval(() => postMessage('beat'), 20000);
