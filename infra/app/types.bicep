// Types shared by the modules (compile-time imports; nothing here is deployed).

@export()
@description('A Service Bus queue, its delivery settings, and which way the function app uses it.')
type queueSpec = {
  @description('Queue name (docs/architecture.md).')
  name: string
  @description('Deliveries before the message is dead-lettered.')
  @minValue(1)
  @maxValue(2000)
  maxDeliveryCount: int
  @description('Peek-lock duration (ISO 8601, at most PT5M); an unfinished message is redelivered after it.')
  lockDuration: string
  @description('Time to live (ISO 8601); expired messages are dead-lettered.')
  defaultMessageTimeToLive: string
  @description('A function drains this queue: the app identity gets Azure Service Bus Data Receiver on it.')
  appReceives: bool
  @description('The app sends to this queue: the app identity gets Azure Service Bus Data Sender on it.')
  appSends: bool
  @description('App setting holding the NCRONTAB schedule of the timer function that drains this queue; empty when none does.')
  drainScheduleSetting: string
}
