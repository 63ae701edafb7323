import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../../../platform/auth/index.js';
import { ApiProblemResponses } from '../../../platform/openapi/index.js';
import { GetCustomerQuery } from '../application/queries/get-customer/get-customer.query.js';
import { CustomerResponse } from './dto/customer.response.js';
import { CustomerIdParams } from './dto/customer-id.params.js';

/** Customers as the ERP keeps them, for channels (read-only: the ERP is the system of record). */
@ApiTags('master-data')
@Controller('v1/customers')
export class CustomersController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @RequireScopes('master-data:read')
  @ApiOperation({
    summary: 'Get a customer by ERP customer number',
    description:
      'The hub copy of the customer, with its ship-to addresses, parent account, status, credit ' +
      'limit and balance (decimal strings), terms, currency and tax attributes.',
  })
  @ApiOkResponse({ type: CustomerResponse, description: 'The customer' })
  @ApiProblemResponses(400, {
    status: 404,
    description: 'Customer not found',
    code: 'CUSTOMER_NOT_FOUND',
    detail: 'No customer with ERP number C10042 is known to the hub.',
  })
  async get(@Param() params: CustomerIdParams): Promise<CustomerResponse> {
    return CustomerResponse.from(await this.queryBus.execute(new GetCustomerQuery(params.id)));
  }
}
