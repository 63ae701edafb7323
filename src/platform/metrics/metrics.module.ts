import { Global, Module } from '@nestjs/common';
import { HttpMetricsRecorder } from './http-metrics.recorder.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/** `/metrics` and the per-app Prometheus registry; global so any module can inject MetricsService. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, HttpMetricsRecorder],
  exports: [MetricsService],
})
export class MetricsModule {}
