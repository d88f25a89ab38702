import { Module } from '@nestjs/common';
import { McpController } from './mcp.controller.js';

/** The MCP endpoint of the service (/mcp); `kaizen mcp` serves the same tools over stdio. */
@Module({ controllers: [McpController] })
export class McpModule {}
