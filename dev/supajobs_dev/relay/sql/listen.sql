-- net.wake() in the stand-in notifies this channel; the payload is not used.
listen supajobs_net
