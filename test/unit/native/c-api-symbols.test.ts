import {
  calledFunctions,
  checkSymbols,
  definedSymbols,
  exportedDeclarations,
} from '../../../container/native/c-api-symbols';

const binding = `
  TF_AutoStatus status;
  TFE_Op* op = TFE_NewOp(context, name, status.status);
  TF_TString_Init(&str);
  if (TF_GetCode(status.status) != TF_OK) return;
`;
const header = `
TF_CAPI_EXPORT extern TFE_Op* TFE_NewOp(TFE_Context* ctx, const char* op_or_function_name,
                                       TF_Status* status);
TF_CAPI_EXPORT extern TF_Code TF_GetCode(const TF_Status* s);
inline void TF_TString_Init(TF_TString *str) { memset(str, 0, sizeof(TF_TString)); }
`;

describe('C API symbol check', () => {
  it('requires only the called functions the headers declare as exported', () => {
    // given a binding calling two exported functions, an inline helper and its own class
    // when the calls are matched with the declarations
    const check = checkSymbols(
      calledFunctions([binding]),
      exportedDeclarations([header]),
      new Set(['TFE_NewOp', 'TF_GetCode']),
    );

    // then the two exported ones are required and none is missing
    expect(check).toEqual({ required: ['TFE_NewOp', 'TF_GetCode'], missing: [] });
  });

  it('names the functions a library does not export', () => {
    // given nm output of a library that lacks TFE_NewOp
    const nm = '000000001d49a2e0 T TF_GetCode@@tensorflow\n0000000000000000 T TF_Other\n';

    // when checked
    const check = checkSymbols(
      calledFunctions([binding]),
      exportedDeclarations([header]),
      definedSymbols(nm),
    );

    // then TFE_NewOp is reported missing, version suffixes aside
    expect(check.missing).toEqual(['TFE_NewOp']);
  });
});
